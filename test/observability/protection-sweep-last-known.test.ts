import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepKeys, type SweepKeys } from '../../src/observability/sweep-keys.js';
import { ProtectionSweep } from '../../src/observability/protection-sweep.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { encodeStored } from '../../src/state/stored-json.js';
import { eventually, type Harness, startHarness, withSettings } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * A provider that fails some sweeps: its counts stay in the gauges as they
 * were last read whole, flagged by provider_failed, so an alert with
 * `for: 2h` on them keeps its timer.
 */

const metricsOf = async (harness: Harness): Promise<string> => (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
/** A sample's value in the exposition text, or undefined when absent. */
const sample = (text: string, name: string): number | undefined => {
  const line = text.split('\n').find((item) => item.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};
const countOf = (text: string, provider: string, status: string) => sample(text, `backup_graph_protection_instances{provider="${provider}",status="${status}"}`);
const failedOf = (text: string, provider: string) => sample(text, `backup_graph_protection_provider_failed{provider="${provider}"}`);
const readAtOf = (text: string, provider: string) => sample(text, `backup_graph_protection_provider_read_timestamp_seconds{provider="${provider}"}`);
const sweptAt = (text: string) => sample(text, 'backup_graph_protection_sweep_timestamp_seconds') ?? 0;

/** The seeded ZStack: one PROTECTED, four STALE, one UNPROTECTED (at the default 24 h, its 2017 backups are old). */
function expectSeededCounts(text: string, provider: string): void {
  expect([countOf(text, provider, 'PROTECTED'), countOf(text, provider, 'STALE'), countOf(text, provider, 'UNPROTECTED'), countOf(text, provider, 'UNKNOWN')]).toEqual([1, 4, 1, 0]);
}

describe('protection sweep: a provider failing between sweeps', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'zstack'], configure: withSettings({ protection: { sweepIntervalMs: 100 } }) });
  });
  afterAll(() => harness.close());

  it('keeps its last-known counts, flagged failed, with the time they were read; fresh ones once it answers again', async () => {
    const before = await eventually(() => metricsOf(harness), (body) => countOf(body, 'zstack-test', 'PROTECTED') !== undefined);
    expectSeededCounts(before, 'zstack-test');
    expect(failedOf(before, 'zstack-test')).toBeUndefined();

    await harness.simulator('zstack').server.setFault('down');
    let failing: string;
    try {
      const firstFailure = await eventually(() => metricsOf(harness), (body) => failedOf(body, 'zstack-test') === 1);
      // A later sweep too, still failing: the counts are carried from result to result.
      failing = await eventually(() => metricsOf(harness), (body) => failedOf(body, 'zstack-test') === 1 && sweptAt(body) > sweptAt(firstFailure));
    } finally {
      await harness.simulator('zstack').server.clearFault();
    }
    expectSeededCounts(failing, 'zstack-test');
    expect(readAtOf(before, 'zstack-test')).toBe(sweptAt(before));
    const lastRead = readAtOf(failing, 'zstack-test') as number;
    expect(lastRead).toBeGreaterThanOrEqual(readAtOf(before, 'zstack-test') as number);
    expect(lastRead).toBeLessThan(sweptAt(failing));
    // The account that answered is read at every sweep.
    expect(readAtOf(failing, 'zomro-test')).toBe(sweptAt(failing));
    expectSeededCounts(failing, 'zomro-test');

    const recovered = await eventually(() => metricsOf(harness), (body) => failedOf(body, 'zstack-test') === undefined);
    expectSeededCounts(recovered, 'zstack-test');
    expect(readAtOf(recovered, 'zstack-test')).toBe(sweptAt(recovered));
  });
});

const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('protection sweep: last-known counts across replicas (Redis)', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  /** The sweep's keys of the harness's one account (its id, kind and url). */
  let keys: SweepKeys;
  let resultKey = '';
  let harness: Harness;
  let raw: Redis;

  beforeAll(async () => {
    raw = new Redis(redis.url as string);
    // No sweep of the gateway's own: the test's two replicas sweep when it ticks them.
    harness = await startHarness({ kinds: ['zstack'], store: new RedisStore(redis.url as string, prefix) });
    keys = sweepKeys(harness.gateway.services.providers.all.map((adapter) => adapter.account));
    resultKey = `${prefix}${keys.result}`;
  });
  afterAll(async () => {
    await raw?.del(resultKey, `${prefix}${keys.lease}`);
    await raw?.quit();
    await harness?.close();
  });

  /** Two replicas' sweeps on one Redis, with a lease short enough to take again within the test. */
  const replicas = () => {
    const services = harness.gateway.services;
    const registries = [new Registry(), new Registry()];
    return { registries, sweeps: registries.map((registry) => new ProtectionSweep(services, registry, 200, services.logger)) };
  };

  it('a replica sweeping the failure exports the counts another replica read, and so does that one', async () => {
    const { registries, sweeps } = replicas();
    const [first, second] = sweeps as [ProtectionSweep, ProtectionSweep];
    try {
      await eventually(() => first.tick(), (swept) => swept);
      const readAt = readAtOf(await (registries[0] as Registry).metrics(), 'zstack-test');
      await harness.simulator('zstack').server.setFault('down');
      try {
        await eventually(() => second.tick(), (swept) => swept);
      } finally {
        await harness.simulator('zstack').server.clearFault();
      }
      for (const registry of registries) {
        const text = await registry.metrics();
        expect(failedOf(text, 'zstack-test')).toBe(1);
        expectSeededCounts(text, 'zstack-test');
        expect(readAtOf(text, 'zstack-test')).toBe(readAt);
      }
      expect(readAt).toBeGreaterThan(0);
    } finally {
      await Promise.all(sweeps.map((sweep) => sweep.stop()));
    }
  });

  it("carries a previous version's result (no read times) over as read when it finished, and drops accounts no longer configured", async () => {
    const { registries, sweeps } = replicas();
    const counts = { instances: 3, protected: 0, stale: 1, unprotected: 2, unknown: 0 };
    const finishedAt = Date.now() - 60_000;
    await raw.set(
      resultKey,
      encodeStored({ finishedAt, seconds: 1, providers: [{ id: 'zstack-test', counts }, { id: 'removed-test', counts }], failedProviders: [] }),
      'PX',
      60_000,
    );
    // Read as it was written, before any sweep of this version.
    const stored = await (registries[0] as Registry).metrics();
    expect(countOf(stored, 'zstack-test', 'UNPROTECTED')).toBe(2);
    expect(readAtOf(stored, 'zstack-test')).toBeUndefined();
    await harness.simulator('zstack').server.setFault('down');
    try {
      await eventually(() => (sweeps[1] as ProtectionSweep).tick(), (swept) => swept);
    } finally {
      await harness.simulator('zstack').server.clearFault();
      await Promise.all(sweeps.map((sweep) => sweep.stop()));
    }
    const text = await (registries[1] as Registry).metrics();
    expect(failedOf(text, 'zstack-test')).toBe(1);
    expect([countOf(text, 'zstack-test', 'STALE'), countOf(text, 'zstack-test', 'UNPROTECTED')]).toEqual([1, 2]);
    expect(readAtOf(text, 'zstack-test')).toBe(finishedAt / 1000);
    expect(text).not.toContain('removed-test');
  });
});
