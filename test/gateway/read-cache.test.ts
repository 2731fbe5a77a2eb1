import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { PROVIDER_KINDS } from '../../src/providers/registry.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { DASHBOARD_QUERY } from '../../src/server/graphiql.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { errorCodes, eventually, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';
import { RecordingStore } from '../unit/recording-store.js';

describe('cross-request read cache (cacheTtlMs)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: withProviderSettings({ cacheTtlMs: 60_000 }),
    });
  });
  afterAll(() => harness.close());

  it('answers a repeated dashboard query with no upstream calls within the TTL', async () => {
    const first = await harness.gql(DASHBOARD_QUERY);
    expect(first.errors).toBeUndefined();
    expect(harness.upstreamCount()).toBeGreaterThan(0);
    harness.resetUpstreamLogs();
    const second = await harness.gql(DASHBOARD_QUERY);
    expect(second.data).toEqual(first.data);
    expect(harness.upstreamCount()).toBe(0);
  });

  it('forgets an instance at once when a mutation changes it: a read after a create sees the new backup', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Array<{ name: string }> } }> } }>('{ instances { edges { node { id backups { name } } } } }');
    const target = list.data!.instances.edges[4]!.node;
    expect(target.backups.map((backup) => backup.name)).not.toContain('cache-buster');
    const created = await harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId: target.id, name: 'cache-buster' } });
    expect(created.errors).toBeUndefined();
    harness.resetUpstreamLogs();
    const after = await harness.gql<{ instance: { backups: Array<{ name: string }> } }>('query($id: ID!) { instance(id: $id) { backups { name } } }', { id: target.id });
    expect(after.data?.instance.backups.map((backup) => backup.name)).toContain('cache-buster');
    // The mutation dropped the stale entry and read the instance afresh; nothing else went upstream.
    expect(harness.simulator('zomro').server.count('instances.fleio_bckps')).toBeLessThanOrEqual(1);
  });
});

describe('cross-request read cache: asynchronous operations', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro', 'zstack'],
      simulator: { asyncDelayMs: 300 },
      configure: withProviderSettings({ cacheTtlMs: 60_000 }),
    });
  });
  afterAll(() => harness.close());

  const backupsOf = (id: string) => harness.gql<{ instance: { backups: Array<{ name: string; status: string }> } }>('query($id: ID!) { instance(id: $id) { backups { name status } } }', { id });

  it('drops an instance from the cache when one of its operations is seen finished: no stale CREATING after SUCCEEDED', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(providerId: "zomro-test") { edges { node { id } } } }');
    const instanceId = list.data!.instances.edges[5]!.node.id;
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', {
      input: { instanceId, name: 'finishing-soon' },
    });
    expect(created.errors).toBeUndefined();
    // Read (and cache) the instance while the backup is being made.
    const during = await backupsOf(instanceId);
    expect(during.data?.instance.backups.find((backup) => backup.name === 'finishing-soon')?.status).toBe('CREATING');
    await eventually(
      () => harness.gql<{ operation: { status: string } }>('query($id: ID!) { operation(id: $id) { status } }', { id: created.data!.createBackup.operation.id }),
      (poll) => poll.data?.operation.status === 'SUCCEEDED',
    );
    const after = await backupsOf(instanceId);
    expect(after.data?.instance.backups.find((backup) => backup.name === 'finishing-soon')?.status).toBe('AVAILABLE');
  });

  it('does not hand a read that starts after an operation is seen finished the answer of a read still in flight from before it', async () => {
    // ZStack: its operations are jobs, polled apart from the backup list (Zomro's poll reads the list itself).
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(providerId: "zstack-test") { edges { node { id } } } }');
    const instanceId = list.data!.instances.edges[2]!.node.id;
    const zstack = harness.simulator('zstack');
    const simulator = zstack.simulator as ZstackSimulator;
    // The job runs until A's read is at the provider: under load, a job ending on its own clock
    // could end before A's read came, and A would see it done.
    const asyncDelayMs = simulator.asyncDelayMs;
    simulator.asyncDelayMs = 600_000;
    const created = await harness
      .gql<{ createBackup: { operation: { id: string } } }>('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', {
        input: { instanceId, name: 'straddling' },
      })
      .finally(() => {
        simulator.asyncDelayMs = asyncDelayMs;
      });
    expect(created.errors).toBeUndefined();
    // A: its upstream read sees the backup being made, and its answer lands 1.5 s later.
    await zstack.server.setFault({ mode: 'late', slowMs: 1_500, onlyLabel: 'GET /zstack/v1/volume-backups', times: 1 });
    const before = backupsOf(instanceId);
    await eventually(
      async () => zstack.server.inFlightWhere((request) => request.method === 'GET' && request.rawPath.startsWith('/zstack/v1/volume-backups')),
      (inFlight) => inFlight > 0,
      { intervalMs: 5 },
    );
    simulator.finishJobs();
    await eventually(
      () => harness.gql<{ operation: { status: string } }>('query($id: ID!) { operation(id: $id) { status } }', { id: created.data!.createBackup.operation.id }),
      (poll) => poll.data?.operation.status === 'SUCCEEDED',
    );
    // B starts after the operation was seen finished: its own upstream read, not A's.
    const after = await backupsOf(instanceId);
    const statusOf = (answer: Awaited<ReturnType<typeof backupsOf>>) => answer.data?.instance.backups.find((backup) => backup.name === 'straddling')?.status;
    expect(statusOf(after)).toBe('AVAILABLE');
    expect(statusOf(await before)).toBe('CREATING');
    // And nothing stale was cached meanwhile.
    expect(statusOf(await backupsOf(instanceId))).toBe('AVAILABLE');
  });

  it('drops a whole account from the cache on a sync, and only that account', async () => {
    const dashboard = '{ instances { edges { node { backups { id } } } } }';
    expect((await harness.gql(dashboard)).errors).toBeUndefined();
    harness.resetUpstreamLogs();
    expect((await harness.gql(dashboard)).errors).toBeUndefined();
    expect(harness.upstreamCount()).toBe(0);
    const sync = await harness.gql('mutation { syncBackups(input: { providerId: "zstack-test" }) { operation { id } } }');
    expect(sync.errors).toBeUndefined();
    harness.resetUpstreamLogs();
    expect((await harness.gql(dashboard)).errors).toBeUndefined();
    expect(harness.simulator('zstack').server.count('GET /zstack/v1/volume-backups')).toBe(1);
    expect(harness.simulator('zomro').server.count()).toBe(0);
  });

  it("keeps the cache when a client reads operation ids the gateway never issued: a viewer's made-up syncs emptied an account for everyone", async () => {
    const dashboard = '{ instances { edges { node { backups { id } } } } }';
    expect((await harness.gql(dashboard)).errors).toBeUndefined();
    const madeUp = [0, 1, 2].map((n) => encodeId('Operation', 'zstack-test', ['SYNC_BACKUPS', String(Date.now() - 60_000 - n), '', '', randomUUID().replaceAll('-', '')]));
    for (const id of madeUp) {
      // NOT_FOUND before any call now (no mutation recorded them); they read FAILED from an expired job's path before.
      const read = await harness.gql<{ operation: { status: string } | null }>('query($id: ID!) { operation(id: $id) { status } }', { id });
      expect(errorCodes(read)).toEqual(['NOT_FOUND']);
    }
    harness.resetUpstreamLogs();
    expect((await harness.gql(dashboard)).errors).toBeUndefined();
    expect(harness.upstreamCount()).toBe(0);
  });
});

/** The gateway's memory store, with its read cache's namespace recorded. */
class CacheSpyStore extends MemoryStore {
  readonly cache = new RecordingStore();
  override namespace(name: string, options: { maxEntries: number }): KeyValueStore {
    return name === 'cache' ? this.cache : super.namespace(name, options);
  }
}

describe('cross-request read cache over every provider', () => {
  let harness: Harness;
  const store = new CacheSpyStore();
  beforeAll(async () => {
    harness = await startHarness({
      kinds: PROVIDER_KINDS,
      configure: withProviderSettings({ cacheTtlMs: 60_000 }),
      store,
    });
  });
  afterAll(() => harness.close());

  it('answers the dashboard again with no upstream call at any provider (no read starts beside a cached list)', async () => {
    const first = await harness.gql(DASHBOARD_QUERY);
    expect(first.errors).toBeUndefined();
    harness.resetUpstreamLogs();
    const second = await harness.gql(DASHBOARD_QUERY);
    expect(second.data).toEqual(first.data);
    // A read started beside the cached lists would not be awaited by the answer; a third query gives it time to land.
    expect((await harness.gql(DASHBOARD_QUERY)).errors).toBeUndefined();
    for (const kind of PROVIDER_KINDS) expect({ kind, calls: harness.simulator(kind).server.count() }).toEqual({ kind, calls: 0 });
  });

  it('reads the per-instance lists of a warm dashboard from memory as they are: one store round trip per account, for its instance list', async () => {
    expect((await harness.gql(DASHBOARD_QUERY)).errors).toBeUndefined();
    store.cache.calls.length = 0;
    expect((await harness.gql(DASHBOARD_QUERY)).errors).toBeUndefined();
    const roundTrips = store.cache.calls.filter((call) => call.method !== 'peek');
    expect(roundTrips.map((call) => call.keys.map((key) => key.split(':')[1]))).toEqual(PROVIDER_KINDS.map(() => ['instances']));
    const peeked = new Set(store.cache.calls.filter((call) => call.method === 'peek').map((call) => call.keys[0]?.split(':')[1]));
    expect(peeked).toEqual(new Set(['backups', 'schedules', 'definitions']));
  });
});
