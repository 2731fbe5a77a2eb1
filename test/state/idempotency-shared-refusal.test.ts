import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Idempotency } from '../../src/gateway/idempotency.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { UpstreamFailure } from '../../src/upstream/deadline.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * Two requests with one idempotency key at once, on two replicas over the real Redis, the first
 * refused by the provider without acting (a 429). The first released its claim, and the second,
 * waiting on it, claimed the key and sent the provider the same call at once: both reached it. The
 * refusal now stands in for the claim a few seconds: the request that waited on it is told it, and
 * one sent after it acts.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

/** A RedisStore that says when it has read a key: a request waiting on a claim reads it. */
class WatchedStore extends RedisStore {
  private readonly readers: Array<() => void> = [];

  nextRead(): Promise<void> {
    return new Promise((resolve) => this.readers.push(resolve));
  }

  override async get<T>(key: string): Promise<T | undefined> {
    const value = await super.get<T>(key);
    for (const reader of this.readers.splice(0)) reader();
    return value;
  }
}

const counted = (answer: string) => {
  const acts = { calls: 0, act: async () => ((acts.calls += 1), answer) };
  return acts;
};

describe.skipIf(!redis.url)(redisSuite('an idempotency key whose first request is refused without acting', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const here = redis.url ? new RedisStore(redis.url, prefix) : null;
  const there = redis.url ? new WatchedStore(redis.url, prefix) : null;
  let raw: Redis;

  beforeAll(async () => {
    raw = new Redis(redis.url as string);
    await Promise.all([here?.ready(), there?.ready()]);
  });
  afterAll(async () => {
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await Promise.all([here?.close(), there?.close()]);
    await raw?.quit();
  });

  it('tells the request that waited on it the same refusal, without a second call; one sent after it acts', async () => {
    const key = randomUUID();
    const rateLimited = new UpstreamFailure('PROVIDER_UNAVAILABLE', 'provider p is rate limiting the gateway', { provider: 'p' }, 'rate_limited');
    let refuse: () => void = () => {};
    let acting: () => void = () => {};
    const firstActs = new Promise<void>((resolve) => (acting = resolve));
    const firstAnswer = new Idempotency(here as RedisStore)
      .run('c', key, 'op', { n: 1 }, () => {
        acting();
        return new Promise<string>((_resolve, reject) => (refuse = () => reject(rateLimited)));
      })
      .catch((error: unknown) => error);
    // The first holds the claim once its act runs; the second, on the other replica, reads that claim and waits.
    await firstActs;
    const waited = there!.nextRead();
    const second = counted('second');
    const secondAnswer = new Idempotency(there as RedisStore).run('c', key, 'op', { n: 1 }, second.act).catch((error: unknown) => error);
    await waited;

    refuse();
    expect(await firstAnswer).toBe(rateLimited);
    expect(await secondAnswer).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringContaining('was refused so and did nothing') });
    expect(second.calls).toBe(0);

    // Sent after the refusal (with another input, even): the key is free.
    const later = counted('later');
    expect(await new Idempotency(there as RedisStore).run('c', key, 'op', { n: 2 }, later.act)).toBe('later');
    expect(later.calls).toBe(1);
  });
});
