import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, gqlAt, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

const redis = await testRedis();
afterAll(() => redis.stop());
/** Short, so the cached list expires within the test: the other replica's reads are polled until it has. */
const CACHE_TTL_MS = 3_000;

const BEFORE = 'web03.example.com';
const AFTER = 'WEB03.example.com';
const DASHBOARD = '{ instances(first: 100) { edges { node { id nativeId backups { id name } } } } }';
const BACKUP = 'query($id: ID!) { backup(id: $id) { name instance { nativeId } } }';

type Dashboard = { instances: { edges: Array<{ node: { id: string; nativeId: string; backups: Array<{ id: string; name: string }> } }> } };

/**
 * The memory of listed hostnames (RecentlyListedIds) was fed only by lists read from Danube, not by
 * one served from the shared read cache. A VM renamed in case that another replica listed and cached
 * was shown here from the cache under its new spelling, while this replica still took its old
 * spelling as listed and asked Danube by it: a Danube matching hostnames exactly (and not by the
 * hostname a backup was made under) found nothing, and the client's id answered null.
 */
describe.skipIf(!redis.url)(redisSuite('danube: a VM renamed in case, listed from the read cache', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let harness: Harness;
  let other: RunningGateway;
  let simulator: DanubeSimulator;

  beforeAll(async () => {
    const store = new RedisStore(redis.url as string, prefix);
    const otherStore = new RedisStore(redis.url as string, prefix);
    await Promise.all([store.ready(), otherStore.ready()]);
    harness = await startHarness({ kinds: ['danube'], store, configure: withProviderSettings({ cacheTtlMs: CACHE_TTL_MS }) });
    other = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: otherStore });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.answersToOriginalHostname = false;
  });
  afterAll(async () => {
    await other?.close();
    await harness?.close();
  });

  it("answers an id of the old spelling with the listed VM's backup", async () => {
    const first = await harness.gql<Dashboard>(DASHBOARD);
    expect(first.errors).toBeUndefined();
    const backup = first.data!.instances.edges.find((edge) => edge.node.nativeId === BEFORE)!.node.backups[0]!;
    simulator.renameVm(BEFORE, AFTER);
    // Once the cached list expires, the other replica reads the list anew and caches it.
    const shows = (answer: { data?: Dashboard | null }): boolean => answer.data?.instances.edges.some((edge) => edge.node.nativeId === AFTER) === true;
    await eventually(() => gqlAt(other.graphqlUrl)<Dashboard>(DASHBOARD), shows, { timeoutMs: 4 * CACHE_TTL_MS, intervalMs: 100 });
    harness.resetUpstreamLogs();
    const cached = await harness.gql<Dashboard>(DASHBOARD);
    expect(cached.data!.instances.edges.some((edge) => edge.node.nativeId === AFTER)).toBe(true);
    expect(harness.simulator('danube').server.count((request) => request.label === 'GET /vm')).toBe(0);
    const answer = await harness.gql<{ backup: { name: string; instance: { nativeId: string } | null } | null }>(BACKUP, { id: backup.id });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.backup).toEqual({ name: backup.name, instance: { nativeId: AFTER } });
  });
});
