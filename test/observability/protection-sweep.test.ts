import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtectionSweep } from '../../src/observability/protection-sweep.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, type Harness, startHarness, withHarness, withProviderSettings, withSettings } from '../helpers/harness.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const metricsOf = async (harness: Harness): Promise<string> => (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
/** A sample's value in the exposition text, or undefined when absent. */
const sample = (text: string, name: string): number | undefined => {
  const line = text.split('\n').find((item) => item.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};

describe('protection sweep: alerts without a dashboard open', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'zstack'], configure: withSettings({ protection: { sweepIntervalMs: 100 } }) });
  });
  afterAll(() => harness.close());

  it('exports instances per status and provider, and the sweep\'s own duration, on /metrics', async () => {
    const text = await eventually(() => metricsOf(harness), (body) => body.includes('backup_graph_protection_instances{provider="zstack-test"'));
    for (const provider of ['zomro-test', 'zstack-test']) {
      expect(sample(text, `backup_graph_protection_instances{provider="${provider}",status="PROTECTED"}`)).toBe(1);
      expect(sample(text, `backup_graph_protection_instances{provider="${provider}",status="STALE"}`)).toBe(4);
      expect(sample(text, `backup_graph_protection_instances{provider="${provider}",status="UNPROTECTED"}`)).toBe(1);
      expect(sample(text, `backup_graph_protection_instances{provider="${provider}",status="UNKNOWN"}`)).toBe(0);
    }
    expect(sample(text, 'backup_graph_protection_sweep_duration_seconds')).toBeGreaterThan(0);
    expect(sample(text, 'backup_graph_protection_sweep_timestamp_seconds')).toBeGreaterThan(0);
    // The alert rules' thresholds are past it (deploy/prometheus/backup-graph.rules.yaml).
    expect(sample(text, 'backup_graph_protection_sweep_interval_seconds')).toBe(0.1);
  });

  it('a provider that fails is flagged and counted as a sweep error', async () => {
    await harness.simulator('zstack').server.setFault('down');
    try {
      const text = await eventually(() => metricsOf(harness), (body) => sample(body, 'backup_graph_protection_provider_failed{provider="zstack-test"}') === 1);
      expect(sample(text, 'backup_graph_protection_sweep_errors_total{provider="zstack-test"}')).toBeGreaterThan(0);
      expect(sample(text, 'backup_graph_protection_instances{provider="zomro-test",status="PROTECTED"}')).toBe(1);
    } finally {
      await harness.simulator('zstack').server.clearFault();
    }
  });
});

describe('protection sweep is off by default', () => {
  it('exports no protection gauges and makes no upstream call of its own', async () => {
    await withHarness({ kinds: ['zstack'] }, async (harness) => {
      expect(await metricsOf(harness)).not.toContain('backup_graph_protection');
      expect(harness.upstreamCount()).toBe(0);
    });
  });
});

describe('protection sweep across replicas (Redis)', () => {
  it('one sweep at a time: the replica holding the lease sweeps, every replica exports its figures', async () => {
    await withHarness({ kinds: ['zstack'], store: new RedisStore(REDIS_URL, `backup-graph-test:${randomUUID()}:`) }, async (harness) => {
      const services = harness.gateway.services;
      const registries = [new Registry(), new Registry()];
      const sweeps = registries.map((registry) => new ProtectionSweep(services, registry, 60_000, services.logger));
      harness.resetUpstreamLogs();
      const swept = await Promise.all(sweeps.map((sweep) => sweep.tick()));
      expect(swept.filter(Boolean)).toHaveLength(1);
      // One instance list and one backup query: one sweep's worth.
      expect(harness.simulator('zstack').server.count((request) => request.label.includes('vm-instances'))).toBe(1);
      // Within the lease, neither sweeps again.
      expect(await Promise.all(sweeps.map((sweep) => sweep.tick()))).toEqual([false, false]);
      for (const registry of registries) {
        const text = await registry.metrics();
        expect(sample(text, 'backup_graph_protection_instances{provider="zstack-test",status="UNPROTECTED"}')).toBe(1);
      }
      await Promise.all(sweeps.map((sweep) => sweep.stop()));
    });
  });
});

describe('protection sweep and shutdown', () => {
  it('a round waiting on a slow provider is cut short by close(): its request is abandoned and the gateway stops without waiting for it, counting no failure', async () => {
    // A deadline longer than the provider's delay: only the shutdown can end that read early.
    const harness = await startHarness({ kinds: ['zstack'], configure: [withSettings({ protection: { sweepIntervalMs: 60_000 } }), withProviderSettings({ timeoutMs: 60_000 })] });
    const server = harness.simulator('zstack').server;
    try {
      // The first round starts with the gateway; from now on the provider answers after 30 s.
      await server.setFault({ mode: 'slow', slowMs: 30_000 });
      await eventually(async () => server.inFlight, (inFlight) => inFlight > 0);
      const logged = harness.logs.length;
      // Before, close() waited for the round: 30 s, and then the answer was no longer abandoned.
      await harness.gateway.close();
      await eventually(async () => server.abandoned, (abandoned) => abandoned > 0);
      expect(harness.logs.slice(logged).filter((line) => line.includes('protection sweep failed'))).toEqual([]);
      await expect(fetch(harness.gateway.graphqlUrl, { method: 'POST' })).rejects.toThrow();
    } finally {
      await server.clearFault();
      await harness.close();
    }
  });
});
