import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisOperationBus } from '../../src/cluster/redis-operation-bus.js';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { encodeStored } from '../../src/state/stored-json.js';
import { eventually, startHarness, type GraphQLAnswer, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * Read-after-write behind a load balancer, with the read cache off (the
 * default): a client's create answered by one replica, then its read of the
 * backups sent to the other. That replica had a read of the same list in
 * flight from before the create (another client's dashboard), and coalesced
 * reads let the new one join it: the client was told its backup did not
 * exist. A replica's own writes already keep later reads out of older
 * flights; the other replicas now hear of them over Redis.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { name } } }';
type Backups = { instance: { backups: Array<{ name: string }> } };

describe.skipIf(!redis.url)(redisSuite('read after write across two replicas sharing Redis, read cache off', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let harness: Harness;
  let writer: RunningGateway;
  let reader: RunningGateway;
  let instanceIds: string[];

  const gql = async <T>(gateway: RunningGateway, query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer<T>> => {
    const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, ...(JSON.parse(text) as Pick<GraphQLAnswer<T>, 'data' | 'errors'>) };
  };
  const replica = async (): Promise<RunningGateway> => {
    const store = new RedisStore(redis.url as string, prefix);
    const operationBus = new RedisOperationBus(redis.url as string, prefix);
    await Promise.all([store.ready(), operationBus.ready()]);
    return startGatewayServer(harness.config, { logger: createLogger('silent'), store, operationBus });
  };

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    [writer, reader] = await Promise.all([replica(), replica()]);
    const list = await gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(reader, '{ instances { edges { node { id } } } }', {});
    instanceIds = list.data!.instances.edges.map((edge) => edge.node.id);
  });
  afterAll(async () => {
    await Promise.all([writer?.close(), reader?.close()]);
    await harness?.close();
  });

  it('a read on one replica sent after a create on the other answered sees the new backup', async () => {
    const id = instanceIds[4];
    const simulator = harness.simulator('zomro').server;
    // The reader's list read from before the create is answered as the list was then, 1.5 s late.
    await simulator.setFault({ mode: 'late', slowMs: 1_500, onlyLabel: 'instances.fleio_bckps', times: 1 });
    try {
      const before = gql<Backups>(reader, BACKUPS, { id });
      await eventually(() => Promise.resolve(simulator.inFlight > 0), (reading) => reading, { intervalMs: 5 });
      const created = await gql(writer, CREATE, { input: { instanceId: id, name: 'read-after-write' } });
      expect(created.errors).toBeUndefined();
      const after = await gql<Backups>(reader, BACKUPS, { id });
      expect(after.data?.instance.backups.map((backup) => backup.name)).toContain('read-after-write');
      // The read from before the create still answers as it was (it was asked before).
      expect((await before).data?.instance.backups.map((backup) => backup.name)).not.toContain('read-after-write');
    } finally {
      await simulator.clearFault();
    }
  });

  it('ignores write announcements of another shape, or of an account it does not have, and stays up', async () => {
    const publisher = new Redis(redis.url as string);
    try {
      const channel = `${prefix}written`;
      const foreign = [encodeStored({ from: 'elsewhere', providerId: 42 }), encodeStored({ from: 'elsewhere', providerId: 'no-such-account' }), encodeStored(null), encodeStored('text'), 'not json {'];
      for (const text of foreign) expect(await publisher.publish(channel, text)).toBe(2);
      const answer = await gql<Backups>(reader, BACKUPS, { id: instanceIds[1] });
      expect(answer.errors).toBeUndefined();
    } finally {
      await publisher.quit();
    }
  });
});
