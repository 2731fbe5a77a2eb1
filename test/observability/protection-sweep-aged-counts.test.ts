import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepKeys } from '../../src/observability/sweep-keys.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { eventually, type Harness, startHarness, withSettings } from '../helpers/harness.js';

/**
 * A provider that keeps failing: its last-known counts are carried, but once
 * they are older than its objective none of its instances is still said to
 * be PROTECTED (the backups that made them so have aged past it); STALE and
 * UNPROTECTED stay, so alerts on them keep firing.
 */

const metricsOf = async (harness: Harness): Promise<string> => (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
const sample = (text: string, name: string): number | undefined => {
  const line = text.split('\n').find((item) => item.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};
const countOf = (text: string, status: string) => sample(text, `backup_graph_protection_instances{provider="zstack-test",status="${status}"}`);
const readAtOf = (text: string) => sample(text, 'backup_graph_protection_provider_read_timestamp_seconds{provider="zstack-test"}');

describe('protection sweep: last-known counts older than the objective', () => {
  let harness: Harness;
  const store = new MemoryStore();

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], store, configure: withSettings({ protection: { sweepIntervalMs: 100 } }) });
  });
  afterAll(() => harness.close());

  it('a failing account read 25 hours ago (objective 24) exports its PROTECTED as UNKNOWN, its STALE and UNPROTECTED as read', async () => {
    // The seeded ZStack, read whole: one PROTECTED, four STALE, one UNPROTECTED.
    await eventually(() => metricsOf(harness), (body) => countOf(body, 'PROTECTED') === 1);
    await harness.simulator('zstack').server.setFault('down');
    try {
      const readAt = Math.floor((Date.now() - 25 * 3_600_000) / 1000) * 1000;
      const counts = { instances: 6, protected: 1, stale: 4, unprotected: 1, unknown: 0 };
      // As a sweep that has just carried counts read 25 hours ago stores them (written until a sweep has carried them on: one may be under way).
      let plantedAt = 0;
      const carried = await eventually(
        async () => {
          plantedAt = Date.now();
          await store.set(sweepKeys(harness.gateway.services.providers.all.map((adapter) => adapter.account)).result, { finishedAt: plantedAt, seconds: 1, providers: [{ id: 'zstack-test', counts, readAt }], failedProviders: ['zstack-test'] }, 60_000);
          await new Promise((resolve) => setTimeout(resolve, 250));
          return metricsOf(harness);
        },
        // A sweep after the one planted, which carried its counts on.
        (body) => readAtOf(body) === readAt / 1000 && (sample(body, 'backup_graph_protection_sweep_timestamp_seconds') ?? 0) * 1000 > plantedAt,
      );
      expect([countOf(carried, 'PROTECTED'), countOf(carried, 'STALE'), countOf(carried, 'UNPROTECTED'), countOf(carried, 'UNKNOWN')]).toEqual([0, 4, 1, 1]);
      expect(sample(carried, 'backup_graph_protection_provider_failed{provider="zstack-test"}')).toBe(1);
    } finally {
      await harness.simulator('zstack').server.clearFault();
    }
  });
});
