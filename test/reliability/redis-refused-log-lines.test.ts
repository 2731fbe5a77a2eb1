import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * Found by an operator: with the Redis the gateway shares state in stopped, every store line said
 * `failure: "timeout"` ("did not answer within 250 ms") or ioredis's "max retries per request",
 * and nothing said the connection was refused: they looked for a slow Redis, not a stopped one.
 * The gateway here connects through a port that is then closed (nothing listens at it).
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const READ_CACHE_LINE = 'read cache store failed; reading from the providers';
const READ = '{ instances(first: 5) { totalCount } }';
/** In REDIS_URL: the default user of a Redis without a password takes any password. */
const PASSWORD = 'url-password-3f9c1e';

interface StoreFailureLine {
  msg: string;
  failure?: string;
  reason?: string;
  connection?: string;
}

describe.skipIf(!redis.url)(redisSuite('Redis refusing connections: the lines say refused, not timeout', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let store: RedisStore;
  let harness: Harness;
  const cacheLines = (): StoreFailureLine[] => harness.logs.map((line) => JSON.parse(line) as StoreFailureLine).filter((line) => line.msg === READ_CACHE_LINE);

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    const port = new URL(proxy.url).port;
    store = new RedisStore(`redis://default:${PASSWORD}@127.0.0.1:${port}${new URL(proxy.url).pathname}`, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['zomro'], store, configure: withProviderSettings({ cacheTtlMs: 60_000 }), storeFailureLineMs: 1 });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('a read while nothing listens at the port logs ECONNREFUSED and its meaning, never the password', async () => {
    expect((await harness.gql(READ)).errors).toBeUndefined();
    // The port closed: the connection drops and every reconnect is refused.
    await proxy.close();
    const lines = await eventually(
      async () => {
        const answer = await harness.gql<{ instances: { totalCount: number } }>(READ);
        expect(answer.errors).toBeUndefined();
        return cacheLines();
      },
      (found) => found.some((line) => line.failure === 'ECONNREFUSED'),
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    const refused = lines.find((line) => line.failure === 'ECONNREFUSED')!;
    expect(refused.connection).toMatch(/^ECONNREFUSED at 127\.0\.0\.1:\d+: nothing listens there \(Redis stopped/);
    expect(refused.reason).toEqual(expect.any(String));
    // Once refusals are seen, no line of a refused connection reads as a slow Redis.
    const after = lines.slice(lines.indexOf(refused));
    for (const line of after) expect(line.failure).not.toBe('timeout');
    for (const line of harness.logs) expect(line).not.toContain(PASSWORD);
  }, 40_000);
});
