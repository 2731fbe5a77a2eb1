import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Idempotency } from '../../src/gateway/idempotency.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * A retry sent to the replica whose first request with the key still runs, while that replica's
 * Redis has stopped answering (a stall, a partition from it). The retry's claim could not be
 * taken in time, so it was refused STORE_UNAVAILABLE though the replica itself ran the request it
 * asked about; after 20 s without renewals another replica would even read that request as
 * stopped. It now waits for the first here and is told its answer, Redis or not.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('a retry on the replica running the first request, its Redis stalled', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let store: RedisStore;

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    store = new RedisStore(proxy.url, prefix);
    await store.ready();
  });
  afterAll(async () => {
    proxy?.flow();
    await store?.close();
    await proxy?.close();
  });

  it('is told the first answer, and acts on nothing', async () => {
    const storeFailures: unknown[] = [];
    const here = new Idempotency(store, (error) => storeFailures.push(error));
    const key = randomUUID();
    let begin: () => void = () => {};
    let finish: () => void = () => {};
    const started = new Promise<void>((resolve) => (begin = resolve));
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const firstAnswer = here.run('c', key, 'op', {}, async () => (begin(), await finished, 'first'));
    await started;
    proxy.stall();
    try {
      let retries = 0;
      const replayed: string[] = [];
      const retryAnswer = here.run('c', key, 'op', {}, async () => ((retries += 1), 'retry'), { onReplay: () => replayed.push('retry') });
      finish();
      expect(await firstAnswer).toBe('first');
      expect(await retryAnswer).toBe('first');
      expect(retries).toBe(0);
      expect(replayed).toEqual(['retry']);
      // The first's record could not be written meanwhile: logged, and sent again once Redis answers.
      expect(storeFailures.length).toBeGreaterThan(0);
    } finally {
      proxy.flow();
    }
  }, 20_000);

  it('what stays: a replica that reaches Redis reads the first as stopped once its live key goes unrenewed, though it still runs', async () => {
    // A lease of 300 ms (30 s in the gateway): renewed every 100 ms while Redis answers.
    const leaseMs = 300;
    const direct = new RedisStore(redis.url as string, prefix);
    await direct.ready();
    try {
      const here = new Idempotency(store, () => {}, leaseMs);
      const there = new Idempotency(direct, () => {}, leaseMs);
      const key = randomUUID();
      let begin: () => void = () => {};
      let finish: () => void = () => {};
      const started = new Promise<void>((resolve) => (begin = resolve));
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const firstAnswer = here.run('c', key, 'op', {}, async () => (begin(), await finished, 'first'));
      await started;
      proxy.stall();
      try {
        let retries = 0;
        await expect(there.run('c', key, 'op', {}, async () => ((retries += 1), 'retry'))).rejects.toThrow(/stopped before it recorded an answer/);
        expect(retries).toBe(0);
        finish();
        expect(await firstAnswer).toBe('first');
      } finally {
        proxy.flow();
      }
    } finally {
      await direct.close();
    }
  }, 20_000);
});
