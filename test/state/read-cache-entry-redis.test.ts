import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadCache, type CacheAddress } from '../../src/gateway/read-cache.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * A cached list and the generation its read started under, in the real Redis. Written as two keys
 * (the list, and a token beside it) in one pipeline, not atomically, Redis could evict one and keep
 * the other (volatile-ttl samples keys; both had the same TTL), or take the first SET and refuse
 * the second: a list left without its token was a miss wherever its instance had been written to,
 * and a token without its list held memory for nothing. Eviction is played by deleting keys of
 * this test's own prefix.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const TTL_MS = 60_000;
const backupsOf = (nativeId: string): CacheAddress => ({ providerId: 'cached', kind: 'backups', nativeId });

describe.skipIf(!redis.url)(redisSuite('read cache entries in Redis', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const store = redis.url ? new RedisStore(redis.url, prefix) : null;
  let raw: Redis;
  const replica = () => new ReadCache(store as RedisStore, new Map([['cached', TTL_MS]]));

  /** Every key of this test in Redis, less the prefix. */
  const keysNow = async (): Promise<string[]> => (await raw.keys(`${prefix}*`)).map((key) => key.slice(prefix.length)).sort();
  /** What an eviction of `keys` does. */
  const evict = async (keys: readonly string[]): Promise<void> => {
    if (keys.length > 0) await raw.del(...keys.map((key) => prefix + key));
  };

  beforeAll(async () => {
    raw = new Redis(redis.url as string);
    await (store as RedisStore).ready();
  });
  afterAll(async () => {
    await evict(await keysNow());
    await store?.close();
    await raw?.quit();
  });

  /** A list cached by one replica after another replica wrote to its instance: the list and the instance's generation in Redis. */
  const cachedAfterAWrite = async (nativeId: string): Promise<{ entry: string; generation: string; here: ReadCache }> => {
    const [here, there] = [replica(), replica()];
    const before = new Set(await keysNow());
    await there.invalidateInstance('cached', nativeId);
    const generation = (await keysNow()).find((key) => !before.has(key) && key.endsWith(`\u0000${nativeId}`)) as string;
    expect(generation).toBeDefined();
    const mark = here.now();
    expect(await here.getMany([backupsOf(nativeId)], mark)).toEqual([undefined]);
    await here.setMany([{ address: backupsOf(nativeId), value: [] }], mark);
    expect(await here.getMany([backupsOf(nativeId)])).toEqual([[]]);
    return { entry: `source/cached:backups:${nativeId}`, generation, here };
  };

  it('serves a cached list while its instance keeps its generation, whatever other key Redis evicts', async () => {
    const { entry, generation, here } = await cachedAfterAWrite('vm1');
    await evict((await keysNow()).filter((key) => key !== entry && key !== generation));
    expect(await keysNow()).toContain(entry);
    expect(await here.getMany([backupsOf('vm1')])).toEqual([[]]);
    expect(await replica().getMany([backupsOf('vm1')])).toEqual([[]]);
  });

  it('leaves nothing of a cached list behind once Redis evicts it', async () => {
    const { entry, generation } = await cachedAfterAWrite('vm2');
    await evict([entry]);
    expect((await keysNow()).filter((key) => key.includes('vm2'))).toEqual([generation]);
  });
});
