import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { storeErrorFields } from '../../src/observability/store-error-fields.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * Redis 6.2 and later quote the first arguments of a command they do not know: a Redis that
 * renamed or disabled one the gateway sends (EVAL, EVALSHA: a common hardening) answers
 * "ERR unknown command 'EVALSHA', with args beginning with: ..." with its keys and values,
 * and the store failure line carried them.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('a Redis failure quoting the command’s arguments', redis), () => {
  it('is logged without them', async () => {
    const client = new Redis(redis.url!, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await client.connect();
      const key = `backup-graph-test:${randomUUID()}:limits:held:client-key-0123456789abcdef`;
      const failure = await client.call('BACKUPGRAPHNOSUCHCOMMAND', key, 'value-0123456789abcdef').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect((failure as Error).message).toContain('client-key-0123456789abcdef');
      const fields = storeErrorFields(failure);
      expect(fields).toEqual({ reason: "ERR unknown command 'BACKUPGRAPHNOSUCHCOMMAND' (its arguments left out)", commands: ['backupgraphnosuchcommand'] });
    } finally {
      client.disconnect();
    }
  });
});
