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

  it('caches the list of an instance never written to under a generation of its own, served by every replica', async () => {
    const here = replica();
    const mark = here.now();
    expect(await here.getMany([backupsOf('vm3')], mark)).toEqual([undefined]);
    await here.setMany([{ address: backupsOf('vm3'), value: [] }], mark);
    const generation = (await keysNow()).find((key) => key.startsWith('gen\u0000') && key.endsWith('\u0000vm3'));
    expect(generation).toBeDefined();
    expect(await raw.pttl(prefix + (generation as string))).toBeGreaterThan(TTL_MS);
    expect(await replica().getMany([backupsOf('vm3')])).toEqual([[]]);
  });

  it('never serves a list cached before a write again once Redis evicts that write\'s generation', async () => {
    // Two builds: a write through one deletes only its own entries, so the other build's list
    // outlives the write, and only the generation keeps it from being served.
    const [older, newer] = [new ReadCache(store as RedisStore, new Map([['cached', TTL_MS]]), undefined, undefined, 'older'), replica()];
    const mark = older.now();
    expect(await older.getMany([backupsOf('vm4')], mark)).toEqual([undefined]);
    await older.setMany([{ address: backupsOf('vm4'), value: [] }], mark);
    expect(await older.getMany([backupsOf('vm4')])).toEqual([[]]);
    await newer.invalidateInstance('cached', 'vm4');
    expect(await older.getMany([backupsOf('vm4')])).toEqual([undefined]);
    await evict((await keysNow()).filter((key) => key.startsWith('gen\u0000') && key.endsWith('\u0000vm4')));
    expect(await keysNow()).toContain('older/cached:backups:vm4');
    expect(await older.getMany([backupsOf('vm4')])).toEqual([undefined]);
  });

  it('caches the answers of two reads that found no generation, on two replicas: a claim is no write', async () => {
    const [here, there] = [replica(), replica()];
    const [hereMark, thereMark] = [here.now(), there.now()];
    expect(await here.getMany([backupsOf('vm6')], hereMark)).toEqual([undefined]);
    expect(await there.getMany([{ ...backupsOf('vm6'), kind: 'schedules' }], thereMark)).toEqual([undefined]);
    await here.setMany([{ address: backupsOf('vm6'), value: [] }], hereMark);
    await there.setMany([{ address: { ...backupsOf('vm6'), kind: 'schedules' }, value: [] }], thereMark);
    expect(await replica().getMany([backupsOf('vm6'), { ...backupsOf('vm6'), kind: 'schedules' }])).toEqual([[], []]);
  });

  it("tells of another replica's write to an instance read before, and not of another read's claim", async () => {
    const told: string[] = [];
    const here = new ReadCache(store as RedisStore, new Map([['cached', TTL_MS]]), undefined, (providerId) => told.push(providerId));
    const there = replica();
    expect(await here.getMany([backupsOf('vm7')])).toEqual([undefined]);
    const mark = there.now();
    await there.getMany([backupsOf('vm7')], mark);
    await there.setMany([{ address: backupsOf('vm7'), value: [] }], mark);
    expect(await here.getMany([backupsOf('vm7')])).toEqual([[]]);
    expect(told).toEqual([]);
    await there.invalidateInstance('cached', 'vm7');
    expect(await here.getMany([backupsOf('vm7')])).toEqual([undefined]);
    expect(told).toEqual(['cached']);
  });

  it("tells of no write when a read's claimed generation expires: nothing was written to the instance", async () => {
    const told: string[] = [];
    const here = new ReadCache(store as RedisStore, new Map([['cached', TTL_MS]]), undefined, (providerId) => told.push(providerId));
    const mark = here.now();
    expect(await here.getMany([backupsOf('vm8')], mark)).toEqual([undefined]);
    await here.setMany([{ address: backupsOf('vm8'), value: [] }], mark);
    expect(await here.getMany([backupsOf('vm8')])).toEqual([[]]);
    // What the claim's TTL (cacheTtlMs + 2 min) does.
    await evict((await keysNow()).filter((key) => key.startsWith('gen\u0000') && key.endsWith('\u0000vm8')));
    expect(await here.getMany([backupsOf('vm8')])).toEqual([undefined]);
    expect(told).toEqual([]);
  });

  it('does not cache an answer whose instance another replica wrote to before its generation was claimed', async () => {
    const [here, there] = [replica(), replica()];
    const mark = here.now();
    expect(await here.getMany([backupsOf('vm5')], mark)).toEqual([undefined]);
    await there.invalidateInstance('cached', 'vm5');
    await here.setMany([{ address: backupsOf('vm5'), value: [] }], mark);
    expect((await keysNow()).filter((key) => key.includes('vm5') && !key.startsWith('gen\u0000'))).toEqual([]);
    expect(await replica().getMany([backupsOf('vm5')])).toEqual([undefined]);
  });

  it('writes the answers beside one another replica overtook, with no store failure: only that one is left out', async () => {
    const failures: unknown[] = [];
    const here = new ReadCache(store as RedisStore, new Map([['cached', TTL_MS]]), (error) => failures.push(error));
    const mark = here.now();
    expect(await here.getMany([backupsOf('overtaken'), backupsOf('beside-it')], mark)).toEqual([undefined, undefined]);
    await replica().invalidateInstance('cached', 'overtaken');
    await here.setMany(
      [
        { address: backupsOf('overtaken'), value: [] },
        { address: backupsOf('beside-it'), value: [] },
      ],
      mark,
    );
    expect(failures).toEqual([]);
    expect(await replica().getMany([backupsOf('overtaken'), backupsOf('beside-it')])).toEqual([undefined, []]);
  });

  it('leaves nothing of a cached list behind once Redis evicts it', async () => {
    const { entry, generation } = await cachedAfterAWrite('vm2');
    await evict([entry]);
    expect((await keysNow()).filter((key) => key.includes('vm2'))).toEqual([generation]);
  });
});
