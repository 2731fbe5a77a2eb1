import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, withLimits, withProviderSettings, type Harness } from '../helpers/harness.js';

const MiB = 1024 * 1024;
const EVERY_LIST = '{ instances(first: 500) { edges { node { id backups { id } } } } }';
type Listed = { instances: { edges: Array<{ node: { id: string; backups: Array<{ id: string }> } }> } };

/** The read cache's estimated bytes, as /metrics shows them. */
async function cacheBytes(harness: Harness): Promise<number> {
  const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
  const line = /^backup_graph_read_cache_bytes (\d+)$/m.exec(text);
  if (!line) throw new Error('no backup_graph_read_cache_bytes in /metrics');
  return Number(line[1]);
}

/**
 * An account of long backup lists: 16 instances of some 150 backups each, some 5.5 MB of lists
 * as estimated (2,300 bytes a backup), read through the in-memory read cache.
 */
async function longLists(limits: Record<string, unknown>): Promise<Harness> {
  return startHarness({
    kinds: ['zomro'],
    simulator: { instances: 16, backupsPerInstance: 150 },
    configure: [withProviderSettings({ cacheTtlMs: 600_000 }), withLimits(limits)],
  });
}

describe('the read cache bounded by bytes (limits.readCacheMaxBytes)', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('holds no more than its byte bound of long lists: past it the least recently read are read from the provider again', async () => {
    harness = await longLists({ readCacheMaxBytes: 1 * MiB });
    const first = await harness.gql<Listed>(EVERY_LIST);
    expect(first.errors).toBeUndefined();
    const backups = first.data!.instances.edges.reduce((sum, { node }) => sum + node.backups.length, 0);
    expect(backups).toBeGreaterThan(2 * MiB / 2_300);
    const held = await cacheBytes(harness);
    // Under 100,000 entries every list was kept, some 5.5 MB as estimated.
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(1 * MiB);

    harness.resetUpstreamLogs();
    const again = await harness.gql<Listed>(EVERY_LIST);
    expect(again.data).toEqual(first.data);
    expect(harness.upstreamCount('zomro')).toBeGreaterThan(0);
    expect(await cacheBytes(harness)).toBeLessThanOrEqual(1 * MiB);
  }, 60_000);

  it('with room for them (the default, 64 MiB), serves the same lists again without asking the provider', async () => {
    harness = await longLists({});
    await harness.gql<Listed>(EVERY_LIST);
    const held = await cacheBytes(harness);
    expect(held).toBeGreaterThan(2 * MiB);
    harness.resetUpstreamLogs();
    const again = await harness.gql<Listed>(EVERY_LIST);
    expect(again.errors).toBeUndefined();
    expect(harness.upstreamCount('zomro')).toBe(0);
    expect(await cacheBytes(harness)).toBe(held);
  }, 60_000);
});
