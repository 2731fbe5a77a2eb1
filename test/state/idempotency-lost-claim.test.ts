import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { Idempotency } from '../../src/gateway/idempotency.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * A request's idempotency claim gone from the real Redis while it acts (the server flushed, or
 * failed over to a replica that had not seen it; played by deleting this test's own keys). A retry
 * then finds the key empty and acts too: nothing in the store can stop that. What can be kept: the
 * first request knows (`onClaimLost`, before it answers), and once one answer is recorded every
 * later retry replays that one. The records were written with a plain SET: the first request's
 * answer replaced the retry's claim, the retry's answer then replaced it back, and retries with
 * the key replayed one answer, then the other.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

/** An act the test finishes: `started` resolves once the request holds its claim and is acting. */
function heldAct(answer: string): { act: () => Promise<string>; started: Promise<void>; finish: () => void; calls: number } {
  let begin: () => void = () => {};
  let end: () => void = () => {};
  const started = new Promise<void>((resolve) => (begin = resolve));
  const finished = new Promise<void>((resolve) => (end = resolve));
  const held = {
    calls: 0,
    started,
    finish: () => end(),
    act: async () => {
      held.calls += 1;
      begin();
      await finished;
      return answer;
    },
  };
  return held;
}

const actsAt = (answer: string) => {
  const counted = { calls: 0, act: async () => ((counted.calls += 1), answer) };
  return counted;
};

describe.skipIf(!redis.url)(redisSuite('an idempotency claim lost from Redis while its request acts', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const stores = redis.url ? [new RedisStore(redis.url, prefix), new RedisStore(redis.url, prefix)] : [];
  let raw: Redis;
  /** What a FLUSHDB does to this test's keys, and to no one else's. */
  const flush = async (): Promise<void> => {
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
  };

  beforeAll(async () => {
    raw = new Redis(redis.url as string);
    await Promise.all(stores.map((store) => store.ready()));
  });
  afterAll(async () => {
    await flush();
    await Promise.all(stores.map((store) => store.close()));
    await raw?.quit();
  });

  it('keeps the first answer recorded for every later retry, and tells each request whose claim was lost', async () => {
    const [here, there] = stores.map((store) => new Idempotency(store));
    const key = randomUUID();
    const lost: string[] = [];
    const first = heldAct('first');
    const firstAnswer = here!.run('c', key, 'op', {}, first.act, { onClaimLost: () => lost.push('first') });
    await first.started;
    await flush();
    // The retry, on another replica, finds the key empty: it claims it and acts.
    const retry = heldAct('retry');
    const retryAnswer = there!.run('c', key, 'op', {}, retry.act, { onClaimLost: () => lost.push('retry') });
    await retry.started;

    first.finish();
    expect(await firstAnswer).toBe('first');
    expect(lost).toEqual(['first']);
    const early = actsAt('early');
    expect(await here!.run('c', key, 'op', {}, early.act)).toBe('first');

    retry.finish();
    expect(await retryAnswer).toBe('retry');
    expect(lost).toEqual(['first', 'retry']);
    const late = actsAt('late');
    expect(await there!.run('c', key, 'op', {}, late.act)).toBe('first');
    expect(early.calls + late.calls).toBe(0);
  });

  it('a retry on the replica where the first still runs waits for it, though the claim is gone: it replays the answer, never acts', async () => {
    const here = new Idempotency(stores[0]!);
    const key = randomUUID();
    const lost: string[] = [];
    const first = heldAct('first');
    const firstAnswer = here.run('c', key, 'op', {}, first.act, { onClaimLost: () => lost.push('first') });
    await first.started;
    await flush();
    const replayed: string[] = [];
    const retry = actsAt('retry');
    const retryAnswer = here.run('c', key, 'op', {}, retry.act, { onReplay: () => replayed.push('retry') });
    const other = actsAt('other');
    await expect(here.run('c', key, 'op', { changed: true }, other.act)).rejects.toThrow(/different input/);
    first.finish();
    expect(await firstAnswer).toBe('first');
    expect(await retryAnswer).toBe('first');
    expect(retry.calls + other.calls).toBe(0);
    expect(replayed).toEqual(['retry']);
    expect(lost).toEqual(['first']);
  });

  it('a retry on the replica where the first still runs is told its failure that may have acted, or shares its refusal', async () => {
    const here = new Idempotency(stores[0]!);
    for (const [failure, note] of [
      [new GatewayError('PROVIDER_TIMEOUT', 'timed out'), /may have acted/],
      [new GatewayError('BAD_USER_INPUT', 'no such instance'), /did nothing/],
    ] as const) {
      const key = randomUUID();
      let fail: () => void = () => {};
      let begin: () => void = () => {};
      const started = new Promise<void>((resolve) => (begin = resolve));
      const failing = new Promise<never>((_resolve, reject) => (fail = () => reject(failure)));
      const firstAnswer = here.run('c', key, 'op', {}, () => (begin(), failing));
      await started;
      await flush();
      const retry = actsAt('retry');
      const retryAnswer = here.run('c', key, 'op', {}, retry.act);
      fail();
      await expect(firstAnswer).rejects.toBe(failure);
      await expect(retryAnswer).rejects.toThrow(note);
      expect(retry.calls).toBe(0);
    }
  });

  it('records the answer of a request whose claim was lost while no retry came: a retry then replays it', async () => {
    const here = new Idempotency(stores[0]!);
    const key = randomUUID();
    const lost: string[] = [];
    const first = heldAct('first');
    const firstAnswer = here.run('c', key, 'op', {}, first.act, { onClaimLost: () => lost.push('first') });
    await first.started;
    await flush();
    first.finish();
    expect(await firstAnswer).toBe('first');
    expect(lost).toEqual(['first']);
    const retry = actsAt('retry');
    expect(await new Idempotency(stores[1]!).run('c', key, 'op', {}, retry.act)).toBe('first');
    expect(retry.calls).toBe(0);
  });
});
