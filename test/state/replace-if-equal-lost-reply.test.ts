import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * replaceIfEqual's answer lost with the connection: Redis ran the script, and
 * ioredis sends it again once reconnected. The second run must find the first
 * one's write, not answer "not held": CreateOrder's release of an unanswered
 * take stopped there, and the place it gave up stayed marked for a day
 * instead of being deleted (a series filled by such places refuses creates).
 */
const redis = await testRedis();
afterAll(() => redis.stop());

/** replaceIfEqual's script as RedisStore sends it: EVAL <script> 1 <prefix>key ... */
const REPLACE = /\r\neval\r\n[\s\S]*redis\.call\('SET', KEYS\[1\], ARGV\[2\], 'PX'/i;

describe.skipIf(!redis.url)(redisSuite('replaceIfEqual whose answer was lost with the connection', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let store: RedisStore;
  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    store = new RedisStore(proxy.url, prefix);
    await store.ready();
  });
  afterAll(async () => {
    await store?.close();
    await proxy?.close();
  });

  it('answers true when ioredis sends it again after its own write, so the caller goes on to what follows the replace', async () => {
    const key = `replace:${randomUUID()}`;
    const mine = `taken:${randomUUID()}`;
    await store.set(key, mine, 60_000);
    const dropped = proxy.dropReplyTo(REPLACE);
    expect(await store.replaceIfEqual(key, mine, 'given-up', 60_000)).toBe(true);
    await dropped;
    expect(await store.get(key)).toBe('given-up');
  });

});
