import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_CACHE_STORE_WAIT_MS, ReadCache, type CacheAddress } from '../../src/gateway/read-cache.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { StoreEntry } from '../../src/state/store.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * The read cache waits READ_CACHE_STORE_WAIT_MS for Redis, and no longer: a Redis that stopped
 * answering must cost a miss, not the request. Its wait must cover Redis's answer alone. A long
 * list is encoded and decoded a piece at a time (stored-json.ts), other requests' work between the
 * pieces; counted within the wait, a list of 30,000 rows on a busy replica ran out the 250 ms and
 * was a miss every time (and a "store failed" line), where Redis itself answered in a few ms. Here
 * a real Redis store whose encoding and decoding take longer than the wait plays that replica.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const TTL_MS = 60_000;
/** Longer than the read cache's wait: the time a long list's pieces took on a busy replica. */
const CODING_MS = READ_CACHE_STORE_WAIT_MS + 150;
const backupsOf = (nativeId: string): CacheAddress => ({ providerId: 'cached', kind: 'backups', nativeId });

class SlowCodingStore extends RedisStore {
  override async getManyAnswered<T>(keys: readonly string[]): Promise<() => Promise<Array<T | undefined>>> {
    const decode = await super.getManyAnswered<T>(keys);
    return async () => {
      await delay(CODING_MS);
      return decode();
    };
  }

  override async setManyPrepared(entries: ReadonlyArray<StoreEntry>): Promise<() => Promise<void>> {
    await delay(CODING_MS);
    return super.setManyPrepared(entries);
  }
}

describe.skipIf(!redis.url)(redisSuite('the read cache waits for Redis, not for its own coding', redis), () => {
  const store = redis.url ? new SlowCodingStore(redis.url, `backup-graph-test:${randomUUID()}:`) : null;
  const failures: unknown[] = [];
  const cache = () => new ReadCache(store as RedisStore, new Map([['cached', TTL_MS]]), (error) => failures.push(error));

  beforeAll(() => (store as RedisStore).ready());
  afterAll(() => store?.close());

  it('caches and serves a list whose encoding and decoding outlast the wait, with no store failure', async () => {
    const here = cache();
    const mark = here.now();
    expect(await here.getMany([backupsOf('vm1')], mark)).toEqual([undefined]);
    await here.setMany([{ address: backupsOf('vm1'), value: [] }], mark);
    expect(await cache().getMany([backupsOf('vm1')])).toEqual([[]]);
    expect(failures).toEqual([]);
  });
});
