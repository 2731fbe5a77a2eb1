import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../src/domain/types.js';
import { FinishTimes } from '../../src/gateway/finish-times.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * An operation's first finish time in the real Redis, read by two replicas at once. Each read the
 * mark "not seen finished yet" and stored its own time with a plain SET, and each answered it: one
 * operation had two finishedAt, one per replica, until a later read (which answered the last write).
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const operation = (finishedAt: Date | null, token: string): Operation => ({
  providerId: 'lab',
  kind: 'CREATE_BACKUP',
  startedAt: new Date('2026-12-03T10:00:00Z'),
  instanceNativeId: 'vm1',
  backupNativeId: null,
  token: [token],
  status: finishedAt ? 'SUCCEEDED' : 'RUNNING',
  finishedAt,
  error: null,
  providerOperationId: null,
});

describe.skipIf(!redis.url)(redisSuite('first finish times in Redis', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const stores = redis.url ? [new RedisStore(redis.url, prefix), new RedisStore(redis.url, prefix)] : [];
  let raw: Redis;

  beforeAll(async () => {
    raw = new Redis(redis.url as string);
    await Promise.all(stores.map((store) => store.ready()));
  });
  afterAll(async () => {
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await Promise.all(stores.map((store) => store.close()));
    await raw?.quit();
  });

  it('answers the same finishedAt on two replicas that see the operation finished at once, and after', async () => {
    const [here, there] = stores.map((store) => new FinishTimes(store));
    for (let round = 0; round < 5; round++) {
      const token = `op-${round}`;
      await here!.started([operation(null, token)]);
      const seenHere = new Date(Date.UTC(2026, 11, 3, 10, 5, round));
      const seenThere = new Date(seenHere.getTime() + 1_000);
      const [answerHere, answerThere] = await Promise.all([here!.of(operation(seenHere, token)), there!.of(operation(seenThere, token))]);
      expect(answerThere).toEqual(answerHere);
      expect([seenHere.getTime(), seenThere.getTime()]).toContain(answerHere?.getTime());
      expect(await here!.of(operation(new Date(), token))).toEqual(answerHere);
      expect(await there!.of(operation(new Date(), token))).toEqual(answerHere);
    }
  });
});
