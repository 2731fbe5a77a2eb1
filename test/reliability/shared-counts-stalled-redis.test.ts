import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCounters } from '../../src/state/redis-counters.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { SharedCounter } from '../../src/state/shared-counter.js';
import { eventually } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * Every HTTP request (limits.rateLimit) and every 401 (limits.authFailures) waits for its
 * shared count, at most 250 ms. A Redis that stopped answering added those 250 ms to each of
 * them for as long as it lasted; now only the count that found it failing waits, and the ones
 * after it are sent without being waited for until one answers in time again.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('shared counts while Redis stops answering', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let store: RedisStore;
  let counter: SharedCounter;
  const failures: unknown[] = [];
  let sent = 0;
  const add = (): ReturnType<SharedCounter['add']> => {
    sent++;
    return counter.add('client');
  };

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    store = new RedisStore(proxy.url, prefix);
    await store.ready();
    counter = new RedisCounters(store.sharedConnection(), (error) => failures.push(error)).counter('stalled', 1_000, 3_600);
  });
  afterAll(async () => {
    proxy?.flow();
    await store?.close();
    await proxy?.close();
  });

  it('waits for the count that finds Redis failing, not for those after it, and waits again once Redis answers', async () => {
    expect(await add()).toMatchObject({ count: 1 });
    proxy.stall();
    expect(await add()).toBeNull();
    expect(failures).toHaveLength(1);
    // Answered before its own count gave up: its failure is not told yet (the old code waited for it).
    expect(await add()).toBeNull();
    expect(failures).toHaveLength(1);

    proxy.flow();
    const recovered = await eventually(add, (answer) => answer !== null);
    // Every count was sent, those not waited for too: the other replicas saw each request.
    expect(recovered?.count).toBe(sent);
  });
});
