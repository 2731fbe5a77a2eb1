import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * The SharedStoreFailing alert rule watches backup_graph_store_failures_total. With no read cache
 * (no account sets cacheTtlMs) and no mutations, what a read asks of Redis is the backups being
 * deleted; those failures were logged ("deletes in flight store failed") but not counted (measured:
 * Redis killed under a dashboard loop, 28 dashboards, every read-path counter at 0). The alert
 * still fired, on store="subscriptions" (its lease renewals fail while idle too), but the label
 * that says which use failed named subscriptions alone while every dashboard was hurt.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const DASHBOARD = '{ instances(first: 5) { totalCount edges { node { backups { id status } } } } }';

describe.skipIf(!redis.url)(redisSuite('a stalled Redis under uncached reads is counted for the alert', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let store: RedisStore;
  let harness: Harness;
  const storeFailures = async (user: string): Promise<number> => {
    const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    const rows = text.split('\n').filter((row) => row.startsWith('backup_graph_store_failures_total{') && row.includes(`store="${user}"`));
    return rows.reduce((sum, row) => sum + Number(row.split(' ').at(-1)), 0);
  };

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    store = new RedisStore(proxy.url, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['zomro'], store });
  });
  afterAll(async () => {
    proxy?.flow();
    await harness?.close();
    await proxy?.close();
  });

  it('counts the backups-being-deleted look a read gives up on, as store="deletes_in_flight"', async () => {
    expect(await storeFailures('deletes_in_flight')).toBe(0);
    proxy.stall();
    try {
      const answer = await harness.gql<{ instances: { totalCount: number } }>(DASHBOARD);
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.instances.totalCount).toBeGreaterThan(0);
      expect(await storeFailures('deletes_in_flight')).toBeGreaterThan(0);
      // Readiness is not Redis's to take: every replica shares the one Redis, and out of rotation they would
      // answer nothing, where they still answer every read (docs/operations.md, "Routes").
      const readyz = await fetch(`${harness.gateway.url}/readyz`);
      expect(readyz.status).toBe(200);
    } finally {
      proxy.flow();
    }
  }, 30_000);
});
