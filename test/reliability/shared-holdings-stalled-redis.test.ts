import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreTimeout } from '../../src/state/bounded-call.js';
import { RedisHoldings } from '../../src/state/redis-holdings.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { SHARED_COUNT_WAIT_MS } from '../../src/state/shared-counter.js';
import { eventually } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * A WebSocket `subscribe` waits for the replicas' open subscriptions (limits.maxSubscriptionsPerClient)
 * at most SHARED_COUNT_WAIT_MS, as an HTTP request waits for its rate count: a Redis that stops
 * answering costs the first subscribe that finds it so the wait, and the ones after it none, until
 * one answers in time again. Meanwhile the replica's own count decides (the caller gets null).
 */
const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite("replicas' open subscriptions while Redis stops answering", redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let store: RedisStore;
  let other: RedisStore;
  let holdings: RedisHoldings;
  let otherHoldings: RedisHoldings;
  const failures: unknown[] = [];

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    store = new RedisStore(proxy.url, prefix);
    other = new RedisStore(redis.url as string, prefix);
    await Promise.all([store.ready(), other.ready()]);
    holdings = new RedisHoldings(store.sharedConnection(), (error) => failures.push(error));
    otherHoldings = new RedisHoldings(other.sharedConnection(), () => undefined);
  });
  afterAll(async () => {
    proxy?.flow();
    holdings?.close();
    otherHoldings?.close();
    await store?.close();
    await other?.close();
    await proxy?.close();
  });

  it("sums the live replicas' counts; while Redis stalls waits once, at most the bound, then not at all; sums again once it answers", async () => {
    // The other replica's lease is written by its first heartbeat.
    await eventually(() => otherHoldings.hold([{ key: 'key:stalled', held: 2 }]), (totals) => totals?.[0] === 2);
    expect(await holdings.hold([{ key: 'key:stalled', held: 1 }])).toEqual([3]);

    proxy.stall();
    const waited = performance.now();
    expect(await holdings.hold([{ key: 'key:stalled', held: 2 }])).toBeNull();
    const firstWaitMs = performance.now() - waited;
    expect(firstWaitMs).toBeLessThan(SHARED_COUNT_WAIT_MS + 200);
    expect(failures).toEqual([expect.any(StoreTimeout)]);
    const next = performance.now();
    expect(await holdings.hold([{ key: 'key:stalled', held: 3 }])).toBeNull();
    expect(performance.now() - next).toBeLessThan(50);

    proxy.flow();
    // Every count was written whole and in order: the last one (3) is what the others see.
    const recovered = await eventually(() => holdings.hold([{ key: 'key:stalled', held: 3 }]), (totals) => totals !== null);
    expect(recovered).toEqual([5]);
    expect(await otherHoldings.hold([{ key: 'key:stalled', held: 2 }])).toEqual([5]);
  });

  it("forgets a replica's count once it gives its lease up, and a count written back to 0", async () => {
    const leaving = new RedisHoldings(other.sharedConnection(), () => undefined);
    await eventually(() => leaving.hold([{ key: 'key:leaving', held: 4 }]), (totals) => totals?.[0] === 4);
    expect(await holdings.hold([{ key: 'key:leaving', held: 1 }])).toEqual([5]);
    leaving.close();
    await eventually(() => holdings.hold([{ key: 'key:leaving', held: 1 }]), (totals) => totals?.[0] === 1);
    otherHoldings.record({ key: 'key:stalled', held: 0 });
    await eventually(() => holdings.hold([{ key: 'key:stalled', held: 3 }]), (totals) => totals?.[0] === 3);
  });
});
