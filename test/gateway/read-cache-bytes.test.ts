import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, withLimits, withProviderSettings, type Harness } from '../helpers/harness.js';

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

describe('the read cache bounded by bytes: records far longer than the measured ones', () => {
  const VMS = 8;
  let harness: Harness | undefined;
  let front: Server | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    front?.closeAllConnections();
    await new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve()));
    front = undefined;
  });

  const QUERY = '{ instances(providerId: "onapp-long", first: 100) { edges { node { backups { id } } } } }';

  /**
   * An OnApp whose VMs each list one backup carrying `note`, behind a gateway whose read cache is
   * bounded at 1 MiB; answers how many backup lists the provider was asked for so far.
   */
  async function onAppOfNotes(note: string): Promise<() => number> {
    let backupReads = 0;
    front = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      const url = req.url ?? '';
      if (url.startsWith('/virtual_machines.json')) {
        res.end(JSON.stringify(Array.from({ length: VMS }, (_, index) => ({ virtual_machine: { id: index + 1, label: `vm${index + 1}`, booted: true } }))));
        return;
      }
      const vm = /^\/virtual_machines\/(\d+)\/backups\.json/.exec(url)?.[1];
      if (vm === undefined) return void res.end('[]');
      backupReads += 1;
      res.end(JSON.stringify([{ backup: { id: Number(vm) * 10, built: true, created_at: '2026-01-01T00:00:00Z', note, backup_type: 'normal' } }]));
    });
    await new Promise<void>((resolve) => front!.listen(0, '127.0.0.1', resolve));
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [
        withLimits({ readCacheMaxBytes: 1 * MiB }),
        withAccountCopy('onapp', { id: 'onapp-long', url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`, retries: 0, cacheTtlMs: 600_000 }),
      ],
    });
    const first = await harness.gql<{ instances: { edges: unknown[] } }>(QUERY);
    expect(first.errors).toBeUndefined();
    expect(first.data?.instances.edges).toHaveLength(VMS);
    expect(backupReads).toBe(VMS);
    expect(await cacheBytes(harness)).toBeLessThanOrEqual(1 * MiB);
    return () => backupReads;
  }

  /**
   * 512 KiB notes: counted by records alone (2,300 bytes a backup), 4 MiB of lists read as 20 KB,
   * and a 1 MiB bound held them all.
   */
  it('counts what a record holds when it is more than the measured cost: a 1 MiB bound keeps 4 MiB of notes out', async () => {
    const backupReads = await onAppOfNotes('n'.repeat(MiB / 2));
    // At most one list of a 512 KiB note fits: the others are read from the provider again.
    await harness!.gql(QUERY);
    expect(backupReads()).toBeGreaterThanOrEqual(2 * VMS - 1);
  }, 60_000);

  /**
   * Notes of 40,000 Cyrillic letters, each held by V8 at two bytes a letter, twice (the backup's
   * note and its raw record's): some 160 KB a list, 1.3 MB in all. Counted a byte a letter they
   * read as 640 KB, and a 1 MiB bound held twice what it was set to.
   */
  it('counts text past Latin-1 at two bytes a character: a 1 MiB bound keeps 1.3 MB of Cyrillic notes out', async () => {
    const backupReads = await onAppOfNotes('ж'.repeat(40_000));
    await harness!.gql(QUERY);
    expect(backupReads()).toBeGreaterThan(VMS);
  }, 60_000);
});
