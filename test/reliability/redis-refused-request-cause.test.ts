import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * A request refused STORE_UNAVAILABLE with Redis stopped logged `cause: "Reached the max retries
 * per request limit (which is 2). Refer to ..."`: ioredis's give-up, nothing an operator could act
 * on, while the store's own lines named the refused connection. The cause now names it too.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const LINE = 'request answered with an error';
/** In REDIS_URL: the default user of a Redis without a password takes any password. */
const PASSWORD = 'cause-url-password-5e2b7c';

interface ErrorLine {
  msg: string;
  code?: string;
  cause?: string;
}

describe.skipIf(!redis.url)(redisSuite('a request refused for a stopped Redis: its line names the refused connection', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let harness: Harness;

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    const { port, pathname } = new URL(proxy.url);
    const store = new RedisStore(`redis://default:${PASSWORD}@127.0.0.1:${port}${pathname}`, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['zomro'], store });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('a keyed create with nothing listening at the port: STORE_UNAVAILABLE, its cause ECONNREFUSED and its meaning', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    const instanceId = list.data!.instances.edges[0]!.node.id;
    // The port closed: the connection drops and every reconnect is refused.
    await proxy.close();
    const lines = await eventually(
      async () => {
        const answer = await harness.gql(CREATE, { input: { instanceId, name: 'redis-gone', idempotencyKey: randomUUID() } });
        expect(answer.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
        return harness.logs.map((line) => JSON.parse(line) as ErrorLine).filter((line) => line.msg === LINE && line.code === 'STORE_UNAVAILABLE');
      },
      (found) => found.some((line) => line.cause?.startsWith('ECONNREFUSED') === true),
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    const refused = lines.find((line) => line.cause?.startsWith('ECONNREFUSED') === true)!;
    expect(refused.cause).toMatch(/^ECONNREFUSED at 127\.0\.0\.1:\d+: nothing listens there \(Redis stopped/);
    for (const line of lines.slice(lines.indexOf(refused))) expect(line.cause).not.toMatch(/max retries/i);
    for (const line of harness.logs) expect(line).not.toContain(PASSWORD);
  }, 40_000);
});
