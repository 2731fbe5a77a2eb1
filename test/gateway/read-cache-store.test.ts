import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadCache } from '../../src/gateway/read-cache.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

const redis = await testRedis();
afterAll(() => redis.stop());
const backupsOf = (nativeId: string) => ({ providerId: 'acct', kind: 'backups', nativeId });
/** A whole backup of the account, as the Redis store serves only those (see cached-list-shape.ts, cached-record-shape.ts). */
const record = (nativeId: string, fields: Record<string, unknown> = {}): Record<string, unknown> & { providerId: string; nativeId: string } => ({
  providerId: 'acct', nativeId, instanceNativeId: '1', keyExtra: [], name: nativeId, status: 'AVAILABLE', origin: null, mode: null, createdAt: null, sizeBytes: null, protected: false,
  diskId: null, minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {}, ...fields,
});

const stores: Array<readonly [string, () => KeyValueStore]> = [['memory', () => new MemoryStore()]];
if (redis.url) stores.push(['redis', () => new RedisStore(redis.url as string, `backup-graph-test:${randomUUID()}:`)]);
else describe.skip(redisSuite('read cache over the redis store', redis), () => it('needs Redis', () => {}));

describe.each(stores)('read cache over the %s store', (_name, createStore) => {
  let store: KeyValueStore;
  beforeAll(async () => {
    store = createStore();
    if (store instanceof RedisStore) await store.ready();
  });
  afterAll(() => store.close());

  it('reads and fills many entries at once, Dates intact, and skips accounts with no TTL', async () => {
    const cache = new ReadCache(store, new Map([['acct', 60_000]]));
    const createdAt = new Date('2026-11-30T10:00:00.000Z');
    await cache.setMany([{ address: backupsOf('1'), value: [record('b1', { name: 'a', createdAt })] }, { address: { providerId: 'uncached', kind: 'backups', nativeId: '1' }, value: [] }], cache.now());
    const [hit, miss, uncached] = await cache.getMany([backupsOf('1'), backupsOf('2'), { providerId: 'uncached', kind: 'backups', nativeId: '1' }]);
    expect(hit).toEqual([record('b1', { name: 'a', createdAt })]);
    expect(miss).toBeUndefined();
    expect(uncached).toBeUndefined();
  });

  it('gives back provider strings that look like dates exactly as they were, beside real Dates', async () => {
    const cache = new ReadCache(store, new Map([['acct', 60_000]]));
    const stored = [record('2024-01-01T00:00:00Z', { name: '2030-01-01T00:00:00Z', note: '\u0001D2024-01-01T00:00:00.000Z', createdAt: new Date('2026-11-30T10:00:00.000Z') })];
    await cache.setMany([{ address: backupsOf('iso'), value: stored }], cache.now());
    const [hit] = await cache.getMany([backupsOf('iso')]);
    expect(hit).toEqual(stored);
    expect(typeof (hit as typeof stored)[0]?.name).toBe('string');
  });

  it('does not cache an answer to a read that a mutation on its instance overtook', async () => {
    const cache = new ReadCache(store, new Map([['acct', 60_000]]));
    const startedAt = cache.now();
    // The read is in flight; a mutation on instance 7 lands; then the (old) answer arrives.
    await cache.invalidateInstance('acct', '7');
    await cache.setMany([{ address: backupsOf('7'), value: [record('stale')] }, { address: backupsOf('8'), value: [record('fresh')] }], startedAt);
    expect(await cache.getMany([backupsOf('7'), backupsOf('8')])).toEqual([undefined, [record('fresh')]]);
    // A read started after the mutation is cached as usual.
    await cache.setMany([{ address: backupsOf('7'), value: [record('new')] }], cache.now());
    expect(await cache.getMany([backupsOf('7')])).toEqual([[record('new')]]);
  });
});

describe('read cache with a store that fails', () => {
  it('misses instead of failing the read, and reports the failure', async () => {
    const down = new RedisStore('redis://127.0.0.1:1', 'unreachable:');
    const failures: unknown[] = [];
    const cache = new ReadCache(down, new Map([['acct', 60_000]]), (error) => failures.push(error));
    expect(await cache.getMany([backupsOf('1')])).toEqual([undefined]);
    await cache.setMany([{ address: backupsOf('1'), value: [] }], cache.now());
    expect(failures).toHaveLength(2);
    await down.close();
  });
});
