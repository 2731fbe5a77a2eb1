import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness, withProviderSettings, type GraphQLAnswer, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * Two replicas sharing the read cache, one of which could not look in it in
 * time (Redis slow for a moment: its look gave up after 250 ms and it read
 * the provider). A create on the other replica landed while that read was at
 * the provider. The read's answer, from before the create, was then written
 * under the generation the create's invalidation had just made, and served
 * to every replica for cacheTtlMs: the new backup was missing from the list.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { name } } }';
const BACKUP_LIST = 'instances.fleio_bckps';
type Backups = { instance: { backups: Array<{ name: string }> } };

describe.skipIf(!redis.url)(redisSuite('read cache: a read that could not look in the shared cache first', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let harness: Harness;
  let slowLooker: RunningGateway;
  let instanceId: string;

  const onSlowLooker = async (): Promise<GraphQLAnswer<Backups>> => {
    const response = await fetch(slowLooker.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: BACKUPS, variables: { id: instanceId } }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, ...(JSON.parse(text) as Pick<GraphQLAnswer<Backups>, 'data' | 'errors'>) };
  };

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    const direct = new RedisStore(redis.url as string, prefix);
    const behindProxy = new RedisStore(proxy.url, prefix);
    await Promise.all([direct.ready(), behindProxy.ready()]);
    harness = await startHarness({ kinds: ['zomro'], store: direct, configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    slowLooker = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: behindProxy });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    instanceId = list.data!.instances.edges[4]!.node.id;
  });
  afterAll(async () => {
    proxy?.flow();
    await slowLooker?.close();
    await harness?.close();
    await proxy?.close();
  });

  it('does not cache a list read from before a create on the other replica as the list after it', async () => {
    const simulator = harness.simulator('zomro').server;
    // The slow looker's list read is answered as the list was when it arrived, 1.5 s late.
    await simulator.setFault({ mode: 'late', slowMs: 1_500, onlyLabel: BACKUP_LIST, times: 1 });
    simulator.resetLog();
    proxy.stall();
    try {
      const overtaken = onSlowLooker();
      // Its look in the cache gave up (250 ms) and its list read is at the provider.
      await eventually(() => Promise.resolve(simulator.inFlight > 0 && simulator.log.length > 0), (reading) => reading, { intervalMs: 5 });
      proxy.flow();
      const created = await harness.gql(CREATE, { input: { instanceId, name: 'made-during-slow-look' } });
      expect(created.errors).toBeUndefined();
      const old = await overtaken;
      expect(old.data?.instance.backups.map((backup) => backup.name)).not.toContain('made-during-slow-look');
    } finally {
      proxy.flow();
      await simulator.clearFault();
    }
    for (const read of [() => harness.gql<Backups>(BACKUPS, { id: instanceId }), onSlowLooker]) {
      const answer = await read();
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.instance.backups.map((backup) => backup.name)).toContain('made-during-slow-look');
    }
  });
});
