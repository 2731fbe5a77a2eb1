import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { STORED_CHARS_PER_TURN } from '../../src/state/stored-json.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * A long cached list goes to Redis and comes back a piece at a time (stored-json.ts): through
 * every path the store has (set, get, setMany, getMany beside short values and a missing key) it
 * must come back as it went in, Dates as Dates.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const listOf = (length: number) => Array.from({ length }, (_, index) => ({ nativeId: `vm-${index}`, name: index % 5 === 0 ? '2030-01-01T00:00:00Z' : `vm ${index}`, createdAt: new Date(1_700_000_000_000 + index), raw: { tag: '\u0001x' } }));

describe.skipIf(!redis.url)(redisSuite('long lists in Redis', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const store = redis.url ? new RedisStore(redis.url, prefix) : null;
  afterAll(async () => {
    await store?.deleteMany(['one', 'many-long', 'many-short']);
    await store?.close();
  });

  it('writes and reads a list of some megabytes exactly, alone and beside short values', async () => {
    const long = listOf(40_000);
    expect(JSON.stringify(long).length).toBeGreaterThan(2 * STORED_CHARS_PER_TURN);
    const redisStore = store as RedisStore;
    await redisStore.set('one', long, 60_000);
    const one = await redisStore.get<typeof long>('one');
    expect(one).toEqual(long);
    expect(one![39_999]!.createdAt).toBeInstanceOf(Date);

    await redisStore.setMany([
      { key: 'many-long', value: long, ttlMs: 60_000 },
      { key: 'many-short', value: [{ at: new Date(0) }], ttlMs: 60_000 },
    ]);
    const [gotLong, missing, gotShort] = await redisStore.getMany<unknown>(['many-long', 'missing', 'many-short']);
    expect(gotLong).toEqual(long);
    expect(missing).toBeUndefined();
    expect(gotShort).toEqual([{ at: new Date(0) }]);
  });
});
