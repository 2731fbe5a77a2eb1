import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
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
 * A replica's counts are summed while its lease lives; a count given back whose delete failed is
 * deleted again by the next heartbeat (left behind, it held its client's places while the replica
 * lived).
 */
const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite("replicas' open subscriptions in Redis: a stalled Redis, a lease given up, a failed delete", redis), () => {
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
    expect(await holdings.hold([{ key: 'key:stalled', held: 2 }])).toBeNull();
    // Given up at the bound (250 ms), not at Redis's command timeout (seconds): the typed give-up names the wait it
    // was given (ioredis's own timeout is another error), so no wall time is asserted.
    expect(failures).toEqual([expect.any(StoreTimeout)]);
    expect(failures.map((failure) => (failure instanceof Error ? failure.message : String(failure)))).toEqual([`the shared store did not answer within ${SHARED_COUNT_WAIT_MS} ms`]);
    // Not at all: answered before the event loop's next turn, where a wait of any length (a timer) would come later.
    const nextTurn = new Promise<'next event-loop turn'>((resolve) => setImmediate(() => resolve('next event-loop turn')));
    expect(await Promise.race([holdings.hold([{ key: 'key:stalled', held: 3 }]), nextTurn])).toBeNull();

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

  it('writes a count given back again when its delete failed: left behind, it held its places for as long as the replica lived', async () => {
    // A Redis user that may not HDEL (an ACL mistake; any failure that drops the write does): the delete fails for sure, and is not sent again by ioredis.
    const user = `no-hdel-${randomUUID()}`;
    const password = randomUUID();
    const admin = new Redis(redis.url as string);
    await admin.call('ACL', 'SETUSER', user, 'on', `>${password}`, '~*', '&*', '+@all', '-hdel');
    const url = new URL(redis.url as string);
    url.username = user;
    url.password = password;
    const refusingStore = new RedisStore(url.toString(), prefix);
    await refusingStore.ready();
    const refusals: unknown[] = [];
    // A lease of 9 s, renewed every 3 s: alive throughout, so only the delete written again frees the places.
    const refusing = new RedisHoldings(refusingStore.sharedConnection(), (error) => refusals.push(error), 9_000);
    try {
      await eventually(() => refusing.hold([{ key: 'key:refused', held: 2 }, { key: 'key:kept', held: 1 }]), (totals) => totals !== null);
      expect(await otherHoldings.hold([{ key: 'key:refused', held: 1 }])).toEqual([3]);

      refusing.record({ key: 'key:refused', held: 0 });
      await eventually(async () => refusals.length, (failed) => failed > 0);
      expect(await otherHoldings.hold([{ key: 'key:refused', held: 1 }])).toEqual([3]);
      await admin.call('ACL', 'SETUSER', user, '+hdel');

      // The given-back count gone, the replica's other count still summed: its lease lived.
      await eventually(() => otherHoldings.hold([{ key: 'key:refused', held: 1 }, { key: 'key:kept', held: 0 }]), (totals) => totals?.[0] === 1 && totals[1] === 1, { timeoutMs: 10_000 });
    } finally {
      refusing.close();
      await refusingStore.close();
      await admin.call('ACL', 'DELUSER', user);
      await admin.quit();
    }
  }, 20_000);
});
