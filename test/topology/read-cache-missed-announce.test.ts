import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisOperationBus } from '../../src/cluster/redis-operation-bus.js';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness, withProviderSettings, type GraphQLAnswer, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * Two replicas sharing the read cache, the reader's operation bus cut off
 * (its pub/sub connection reconnecting, or just slower than the cache): the
 * writer's announcement of its delete never reached it. The reader had a
 * read of the instance's backups in flight from before the create, and a
 * read sent after the create's answer found the cache emptied (a new
 * generation) and joined that older flight: it was told the backup did not
 * exist, and cached that older list under the new generation, where every
 * replica read it for cacheTtlMs.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { status } } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { id name } } }';
type Backups = { instance: { backups: Array<{ id: string; name: string }> } };

describe.skipIf(!redis.url)(redisSuite('read cache across replicas when a write announcement is missed', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let harness: Harness;
  let writer: RunningGateway;
  let reader: RunningGateway;
  let instanceId: string;

  const gql = async <T>(gateway: RunningGateway, query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer<T>> => {
    const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, ...(JSON.parse(text) as Pick<GraphQLAnswer<T>, 'data' | 'errors'>) };
  };
  const replica = async (busUrl: string): Promise<RunningGateway> => {
    const store = new RedisStore(redis.url as string, prefix);
    const operationBus = new RedisOperationBus(busUrl, prefix);
    await Promise.all([store.ready(), operationBus.ready()]);
    return startGatewayServer(harness.config, { logger: createLogger('silent'), store, operationBus });
  };

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    writer = await replica(redis.url as string);
    reader = await replica(proxy.url);
    const list = await gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(reader, '{ instances { edges { node { id } } } }', {});
    instanceId = list.data!.instances.edges[3]!.node.id;
  });
  afterAll(async () => {
    proxy?.mend();
    await Promise.all([writer?.close(), reader?.close()]);
    await harness?.close();
    await proxy?.close();
  });

  /** Empties this test's read cache in Redis, so the reader's next read goes to the provider. */
  const emptyCache = async (): Promise<void> => {
    const client = new Redis(redis.url as string);
    try {
      const keys = await client.keys(`${prefix}cache:*`);
      if (keys.length > 0) await client.del(...keys);
    } finally {
      client.disconnect();
    }
  };

  it('a read on the reader after the delete no longer lists the backup, and caches no list that does', async () => {
    const simulator = harness.simulator('zomro').server;
    const listed = await gql<Backups>(writer, BACKUPS, { id: instanceId });
    const doomed = listed.data!.instance.backups[0]!;
    await emptyCache();
    // The reader's list read from before the delete is answered as the list was then, 1.5 s late.
    await simulator.setFault({ mode: 'late', slowMs: 1_500, onlyLabel: 'instances.fleio_bckps', times: 1 });
    simulator.resetLog();
    const names = (answer: GraphQLAnswer<Backups>) => answer.data?.instance.backups.map((backup) => backup.name);
    try {
      const before = gql<Backups>(reader, BACKUPS, { id: instanceId });
      await eventually(() => Promise.resolve(simulator.inFlight > 0 && simulator.log.length > 0), (reading) => reading, { intervalMs: 5 });
      proxy.cut();
      const deleted = await gql(writer, DELETE, { input: { backupId: doomed.id } });
      expect(deleted.errors).toBeUndefined();
      const after = await gql<Backups>(reader, BACKUPS, { id: instanceId });
      expect(names(after)).not.toContain(doomed.name);
      expect(names(await before)).toContain(doomed.name);
    } finally {
      proxy.mend();
      await simulator.clearFault();
    }
    expect(names(await gql<Backups>(writer, BACKUPS, { id: instanceId }))).not.toContain(doomed.name);
  });
});
