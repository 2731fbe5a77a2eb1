import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { BUS_REDIS_BACK, BUS_REDIS_LOST } from '../../src/cluster/bus-connection-lines.js';
import { RedisOperationBus } from '../../src/cluster/redis-operation-bus.js';
import { createLogger } from '../../src/observability/logger.js';
import { eventually } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy } from '../helpers/redis-proxy.js';

/**
 * The operation bus's own two Redis connections were not watched: when they lost Redis, the
 * operation watcher polled alone and nothing was logged, while the store's lines named the
 * trouble (redis-refused-log-lines.test.ts). The bus now says so, named the same way.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

/** In REDIS_URL: never in a line. */
const PASSWORD = 'bus-url-password-7d1a0b';

interface Line {
  msg: string;
  level: number;
  redisConnection?: string;
  failure?: string;
  connection?: string;
}

function capturedLogger() {
  const text: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const lines = (): Line[] => text.map((line) => JSON.parse(line) as Line);
  return { logger: createLogger('info', sink, { format: 'json' }), text, lines };
}

describe.skipIf(!redis.url)(redisSuite('the operation bus losing Redis is logged, named', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;

  it('both connections refused (nothing listens at the port): ECONNREFUSED and its meaning, once each', async () => {
    const proxy = await startRedisProxy(redis.url as string);
    const { logger, text, lines } = capturedLogger();
    const { port, pathname } = new URL(proxy.url);
    const bus = new RedisOperationBus(`redis://default:${PASSWORD}@127.0.0.1:${port}${pathname}`, prefix, logger);
    try {
      await bus.ready();
      // The port closed: the connections drop and every reconnect is refused.
      await proxy.close();
      const refused = await eventually(
        async () => lines().filter((line) => line.msg === BUS_REDIS_LOST && line.failure === 'ECONNREFUSED'),
        (found) => new Set(found.map((line) => line.redisConnection)).size === 2,
        { timeoutMs: 20_000, intervalMs: 50 },
      );
      for (const line of refused) expect(line.connection).toMatch(/^ECONNREFUSED at 127\.0\.0\.1:\d+: nothing listens there/);
      // ioredis retries, each retry another refusal: one line per connection for the outage.
      expect(refused).toHaveLength(2);
      for (const line of text) expect(line).not.toContain(PASSWORD);
    } finally {
      await bus.close().catch(() => {});
    }
  }, 60_000);

  it('connections back after a cut: a line each', async () => {
    const proxy = await startRedisProxy(redis.url as string);
    const { logger, lines } = capturedLogger();
    const bus = new RedisOperationBus(proxy.url, prefix, logger);
    try {
      await bus.ready();
      proxy.cut();
      await eventually(async () => lines().filter((line) => line.msg === BUS_REDIS_LOST).length, (count) => count >= 2, { timeoutMs: 20_000, intervalMs: 50 });
      proxy.mend();
      await eventually(async () => lines().filter((line) => line.msg === BUS_REDIS_BACK).length, (count) => count === 2, { timeoutMs: 20_000, intervalMs: 50 });
    } finally {
      await bus.close().catch(() => {});
      await proxy.close();
    }
  }, 60_000);

  it('a wrong password (WRONGPASS): named, the password never in the line', async () => {
    const { logger, text, lines } = capturedLogger();
    const { host, pathname } = new URL(redis.url as string);
    const bus = new RedisOperationBus(`redis://no-such-user-${randomUUID().slice(0, 8)}:${PASSWORD}@${host}${pathname}`, prefix, logger);
    try {
      await expect(bus.ready()).rejects.toThrow();
      const refused = await eventually(
        async () => lines().filter((line) => line.msg === BUS_REDIS_LOST),
        (found) => found.length > 0,
        { timeoutMs: 20_000, intervalMs: 50 },
      );
      expect(refused[0]).toMatchObject({ failure: 'WRONGPASS', connection: "WRONGPASS: Redis refused REDIS_URL's user or password" });
      for (const line of text) expect(line).not.toContain(PASSWORD);
    } finally {
      await bus.close().catch(() => {});
    }
  }, 60_000);

  it('a wrong password in the URL from REDIS_URL_FILE (the systemd unit sets no REDIS_URL): the line names that file', async () => {
    const { logger, text, lines } = capturedLogger();
    const { host, pathname } = new URL(redis.url as string);
    const bus = new RedisOperationBus(`redis://no-such-user-${randomUUID().slice(0, 8)}:${PASSWORD}@${host}${pathname}`, prefix, logger, 'REDIS_URL_FILE');
    try {
      await expect(bus.ready()).rejects.toThrow();
      const refused = await eventually(
        async () => lines().filter((line) => line.msg === BUS_REDIS_LOST),
        (found) => found.length > 0,
        { timeoutMs: 20_000, intervalMs: 50 },
      );
      expect(refused[0]).toMatchObject({ failure: 'WRONGPASS', connection: 'WRONGPASS: Redis refused the user or password of the URL in the file REDIS_URL_FILE names' });
      for (const line of text) expect(line).not.toMatch(new RegExp(`${PASSWORD}|REDIS_URL(?!_FILE)`));
    } finally {
      await bus.close().catch(() => {});
    }
  }, 60_000);
});
