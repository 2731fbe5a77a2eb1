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
 * Found running two replicas by hand with Redis paused: the open-subscription
 * counts' heartbeat is not bounded by a wait of the gateway's own, so a
 * Redis that stops answering fails it at ioredis's command timeout (5 s),
 * "Command timed out", a plain Error. That was counted as
 * `backup_graph_store_failures_total{failure="error"}` and logged with
 * `failure: "Error"`, a stack and `previousErrors: [{}, {}]`, where every
 * other give-up on a silent Redis is `timeout`, without a stack: the metric
 * and the line said "Redis refused" of a Redis that said nothing.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const KEY = 'stalled-heartbeat-key-0123456789abcdef';
const LINE = 'shared store failed: open subscriptions are counted by this replica alone';
/** A short lease: the heartbeat renews every third of it, so the stalled renewal starts at once. */
const LEASE_MS = 1_500;

interface FailureLine {
  msg: string;
  failure?: string;
  reason?: string;
  err?: unknown;
}

describe.skipIf(!redis.url)(redisSuite('a Redis that stops answering: ioredis command timeouts count as timeouts', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const lines: string[] = [];
  let proxy: RedisProxy;
  let store: RedisStore;
  let harness: Harness;
  let gateway: RunningGateway;

  const storeFailures = async (failure: string): Promise<number> => {
    const text = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    const row = text.split('\n').find((line) => line.startsWith(`backup_graph_store_failures_total{store="subscriptions",failure="${failure}"}`));
    return Number(row?.split(' ').at(-1));
  };

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
    gateway = await startGatewayServer(harness.config, { logger: createLogger('info', sink, { format: 'json' }), store, subscriptionLeaseMs: LEASE_MS });
  });
  afterAll(async () => {
    proxy?.flow();
    await gateway?.close();
    await harness?.close();
    await proxy?.close();
  });

  it('the heartbeat stalled past the command timeout is a timeout: counted so, logged without a stack', async () => {
    proxy.stall();
    const failed = await eventually(
      async () => lines.map((line) => JSON.parse(line) as FailureLine).filter((line) => line.msg === LINE),
      (found) => found.length > 0,
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    expect(failed[0]).toMatchObject({ failure: 'timeout', reason: 'Command timed out' });
    expect(failed[0]).not.toHaveProperty('err');
    expect(await storeFailures('timeout')).toBeGreaterThanOrEqual(1);
    expect(await storeFailures('error')).toBe(0);
  }, 30_000);
});
