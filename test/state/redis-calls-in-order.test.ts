import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

const redis = await testRedis();
afterAll(() => redis.stop());

/**
 * The idempotency claim relies on one Redis connection running its calls in the order they were
 * made: its live key is `set`, then the claim sent at once (`setIfAbsent`), so that no other
 * replica reads the claim without its live key. `set` awaited its value's encoding first, so the
 * claim reached Redis before the live key, and a duplicate request on the other replica, reading
 * in between, was refused CONFLICT "may have acted" (a loaded CI run of test/topology/replicas).
 */
(redis.url ? describe : describe.skip)(redisSuite('the redis store, calls made in one tick', redis), () => {
  it('sends a plain value set before a claim made right after it, in that order (seen by MONITOR)', async () => {
    const prefix = `backup-graph-test:${randomUUID()}:`;
    const store = new RedisStore(redis.url as string, prefix);
    await store.ready();
    const monitor = await new Redis(redis.url as string).monitor();
    const seen: string[] = [];
    let bothSeen: () => void = () => {};
    const seenBoth = new Promise<void>((resolve) => (bothSeen = resolve));
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() === 'set' && args[1]?.startsWith(prefix)) seen.push(args[1].slice(prefix.length));
      if (seen.length === 2) bothSeen();
    });
    try {
      const live = store.set('live:claim-1', 1, 30_000);
      const claim = store.setIfAbsent('record', { state: 'pending', claim: 'claim-1' }, 60_000);
      await Promise.all([live, claim]);
      // MONITOR's lines come after the commands ran, on its own connection: wait for both.
      await seenBoth;
      expect(seen).toEqual(['live:claim-1', 'record']);
      // An object is still encoded (in turns for a long one) and stored whole.
      await store.set('object', { a: [1, 2] }, 30_000);
      expect(await store.get('object')).toEqual({ a: [1, 2] });
    } finally {
      monitor.disconnect();
      await store.close();
    }
  });
});
