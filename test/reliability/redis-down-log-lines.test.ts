import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness, withClients, withLimits, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * Found with Redis gone (its port closed): each failed MULTI of the
 * open-subscription heartbeat logged ioredis's MaxRetriesPerRequestError
 * whole: its stack (ioredis's event handler) and
 * `previousErrors: [{"previousErrors":"[Circular]"}, ...]`, the error holding
 * itself. One line now says what failed, in a word and a line of text.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const KEY = 'redis-down-line-key-0123456789abcdef';
const LINE = 'shared store failed: open subscriptions are counted by this replica alone';

describe.skipIf(!redis.url)(redisSuite('Redis gone: one short line per failure', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const lines: string[] = [];
  let proxy: RedisProxy;
  let store: RedisStore;
  let harness: Harness;
  let gateway: RunningGateway;

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    store = new RedisStore(proxy.url, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['zomro'], configure: [withClients([{ name: 'watcher', key: KEY, roles: ['viewer'] }]), withLimits({ maxSubscriptionsPerClient: 2 })] });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        callback();
      },
    });
    gateway = await startGatewayServer(harness.config, { logger: createLogger('info', sink, { format: 'json' }), store, subscriptionLeaseMs: 1_500, storeFailureLineMs: 1 });
  });
  afterAll(async () => {
    await gateway?.close();
    await harness?.close();
  });

  it('a failed heartbeat MULTI is one line: its kind and reason, no stack, no circular dump', async () => {
    // The port closed: every reconnect is refused, and ioredis gives the queued MULTI up.
    await proxy.close();
    const failed = await eventually(
      async () => lines.filter((line) => line.includes(LINE) && !line.includes('"failure":"timeout"')),
      (found) => found.length > 0,
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    const line = failed[0] as string;
    // The kind is the refused connection behind ioredis's give-up (redis-refused-log-lines.test.ts); the reason stays ioredis's.
    expect(JSON.parse(line)).toMatchObject({ failure: 'ECONNREFUSED', reason: expect.stringContaining('max retries per request'), connection: expect.stringMatching(/^ECONNREFUSED at 127\.0\.0\.1:\d+: /) });
    expect(line).not.toContain('previousErrors');
    expect(line).not.toContain('Circular');
    expect(line).not.toContain('"stack"');
    expect(line).not.toContain('"err"');
  }, 40_000);
});
