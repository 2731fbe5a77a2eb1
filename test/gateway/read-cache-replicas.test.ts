import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness, withProviderSettings, type GraphQLAnswer, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * Two replicas sharing the read cache in Redis: a read on one that was in
 * flight when a mutation on the other landed must not put its (older) answer
 * back into the cache both read from.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { name } } }';
const BACKUP_LIST = 'instances.fleio_bckps';
type Backups = { instance: { backups: Array<{ name: string }> } };

describe.skipIf(!redis.url)(redisSuite('read cache shared by two replicas', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const stores = redis.url ? [new RedisStore(redis.url, prefix), new RedisStore(redis.url, prefix)] : [];
  let harness: Harness;
  let other: RunningGateway;
  let instanceIds: string[];

  const onOther = async <T>(query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer<T>> => {
    const response = await fetch(other.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, ...(JSON.parse(text) as Pick<GraphQLAnswer<T>, 'data' | 'errors'>) };
  };

  beforeAll(async () => {
    await Promise.all(stores.map((store) => store.ready()));
    harness = await startHarness({ kinds: ['zomro'], store: stores[0]!, configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    other = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1]! });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    instanceIds = list.data!.instances.edges.map((edge) => edge.node.id);
  });
  afterAll(async () => {
    await other?.close();
    await harness?.close();
  });

  it('a read on one replica that a create on the other overtook does not hide the new backup from later reads', async () => {
    const id = instanceIds[5];
    const simulator = harness.simulator('zomro').server;
    // The other replica's read of the list is answered as the list was when it arrived, late.
    await simulator.setFault({ mode: 'late', slowMs: 1_500, onlyLabel: BACKUP_LIST, times: 1 });
    simulator.resetLog();
    try {
      const overtaken = onOther<Backups>(BACKUPS, { id });
      // Its list read is at the provider (the only request left in flight once the instance was read).
      await eventually(
        () => Promise.resolve(simulator.inFlight > 0 && simulator.log.length > 0),
        (reading) => reading,
        { intervalMs: 5 },
      );
      const created = await harness.gql(CREATE, { input: { instanceId: id, name: 'overtaking' } });
      expect(created.errors).toBeUndefined();
      const old = await overtaken;
      expect(old.data?.instance.backups.map((backup) => backup.name)).not.toContain('overtaking');
    } finally {
      await simulator.clearFault();
    }
    for (const read of [() => harness.gql<Backups>(BACKUPS, { id }), () => onOther<Backups>(BACKUPS, { id })]) {
      const answer = await read();
      expect(answer.data?.instance.backups.map((backup) => backup.name)).toContain('overtaking');
    }
  });
});
