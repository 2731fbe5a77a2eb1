import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisOperationBus } from '../../src/cluster/redis-operation-bus.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy } from '../helpers/redis-proxy.js';

/**
 * The operation bus's two Redis connections (and the store's) were seen only in log lines: an
 * operator alerting on metrics could not tell a replica whose bus subscriber had lost Redis, which
 * hears no other replica's operation statuses or write announcements. Each connection is now a
 * gauge, backup_graph_redis_connection_up{connection}, and a line of the admin /readyz's `redis`;
 * readiness stays 200 (every replica shares the one Redis: see src/server/health.ts).
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const CONNECTIONS = ['operation_bus', 'operation_bus_subscriber', 'store'];

/** Each `backup_graph_redis_connection_up` sample of a /metrics text, by connection. */
function connectionsUp(metrics: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const [, connection, value] of metrics.matchAll(/^backup_graph_redis_connection_up\{connection="([a-z_]+)"\} (\d+)$/gm)) found[connection as string] = Number(value);
  return found;
}

const allAre = (value: number) => (found: Record<string, number>) => Object.keys(found).sort().join() === CONNECTIONS.join() && Object.values(found).every((up) => up === value);

/** A gateway whose store and operation bus reach Redis through a proxy the test can cut or stall. */
async function gatewayBehindProxy() {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const proxy = await startRedisProxy(redis.url as string);
  const store = new RedisStore(proxy.url, prefix);
  await store.ready();
  const bus = new RedisOperationBus(proxy.url, prefix);
  await bus.ready();
  const harness = await startHarness({ kinds: ['zomro'], store, operationBus: bus });
  const metrics = async () => connectionsUp(await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text());
  return { proxy, harness, metrics };
}

interface DetailedReadyz {
  status: string;
  redis?: Array<{ connection: string; up: boolean }>;
}

describe.skipIf(!redis.url)(redisSuite("a replica's Redis connections on /metrics and the admin /readyz", redis), () => {
  it('reads 1 for each connection, 0 while Redis is cut off, 1 once back; /readyz stays 200 and names each', async () => {
    const { proxy, harness, metrics } = await gatewayBehindProxy();
    const detailed = async () => {
      const response = await fetch(`${harness.gateway.adminUrl}/readyz`);
      return { code: response.status, body: (await response.json()) as DetailedReadyz };
    };
    try {
      expect(await metrics()).toEqual({ operation_bus: 1, operation_bus_subscriber: 1, store: 1 });
      const before = await detailed();
      expect(before.code).toBe(200);
      expect(before.body.redis).toEqual([
        { connection: 'store', up: true },
        { connection: 'operation_bus', up: true },
        { connection: 'operation_bus_subscriber', up: true },
      ]);

      proxy.cut();
      await eventually(metrics, allAre(0), { timeoutMs: 20_000, intervalMs: 50 });
      const during = await detailed();
      expect(during.code).toBe(200);
      expect(during.body.status).toBe('ready');
      expect(during.body.redis?.map((connection) => connection.up)).toEqual([false, false, false]);
      // The public /readyz: the verdict only, the same.
      const bare = await fetch(`${harness.gateway.url}/readyz`);
      expect(bare.status).toBe(200);
      expect(await bare.json()).toEqual({ status: 'ready' });

      proxy.mend();
      await eventually(metrics, allAre(1), { timeoutMs: 20_000, intervalMs: 50 });
      expect((await detailed()).body.redis?.every((connection) => connection.up)).toBe(true);
    } finally {
      await harness.close();
      await proxy.close();
    }
  }, 60_000);

  it('reads 0 for each connection while Redis stalls with the connections still open, and 1 once it answers again', async () => {
    // A Redis paused or overloaded, or a network dropping packets, keeps its TCP connections: ioredis
    // reads `ready` the whole time, and the bus subscriber sends nothing that would time out, so it
    // read up while it heard nothing. Each connection is now asked PING at the scrapes.
    const { proxy, harness, metrics } = await gatewayBehindProxy();
    try {
      await eventually(metrics, allAre(1), { timeoutMs: 20_000, intervalMs: 50 });
      proxy.stall();
      await eventually(metrics, allAre(0), { timeoutMs: 30_000, intervalMs: 200 });
      const readyz = await fetch(`${harness.gateway.adminUrl}/readyz`);
      expect(readyz.status).toBe(200);
      expect(((await readyz.json()) as DetailedReadyz).redis?.map((connection) => connection.up)).toEqual([false, false, false]);
      proxy.flow();
      await eventually(metrics, allAre(1), { timeoutMs: 30_000, intervalMs: 200 });
    } finally {
      proxy.flow();
      await harness.close();
      await proxy.close();
    }
  }, 90_000);

  it('exports no sample without Redis (no connection to report) and no `redis` in /readyz', async () => {
    const harness = await startHarness({ kinds: ['zomro'] });
    try {
      const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
      expect(text).toContain('# TYPE backup_graph_redis_connection_up gauge');
      expect(connectionsUp(text)).toEqual({});
      expect(await (await fetch(`${harness.gateway.adminUrl}/readyz`)).json()).not.toHaveProperty('redis');
    } finally {
      await harness.close();
    }
  });
});
