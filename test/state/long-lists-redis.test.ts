import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
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

/** How many turns of the event loop other work got while `work` ran. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let running = true;
  const ticker = (async () => {
    while (running) {
      await nextTurn();
      if (running) turns++;
    }
  })();
  const value = await work();
  running = false;
  await ticker;
  return { value, turns };
}

describe.skipIf(!redis.url)(redisSuite('long lists in Redis', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const store = redis.url ? new RedisStore(redis.url, prefix) : null;
  const shortKeys = Array.from({ length: 60 }, (_, index) => `short-${index}`);
  afterAll(async () => {
    await store?.deleteMany(['one', 'many-long', 'many-short', ...shortKeys]);
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

  it('gives other work turns between many short lists that are long together, writing and reading (60 of ~60 KB: none before)', async () => {
    const redisStore = store as RedisStore;
    const entries = shortKeys.map((key, index) => ({ key, value: listOf(600).map((row) => ({ ...row, nativeId: `${index}-${row.nativeId}` })), ttlMs: 60_000 }));
    const encoded = await turnsDuring(() => redisStore.setManyPrepared(entries));
    expect(encoded.turns).toBeGreaterThanOrEqual(2);
    await encoded.value();
    const decode = await redisStore.getManyAnswered<unknown>(shortKeys);
    const decoded = await turnsDuring(decode);
    expect(decoded.turns).toBeGreaterThanOrEqual(2);
    expect(decoded.value).toEqual(entries.map((entry) => entry.value));
  });
});
