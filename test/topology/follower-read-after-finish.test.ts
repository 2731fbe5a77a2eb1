import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisOperationBus } from '../../src/cluster/redis-operation-bus.js';
import { createLogger } from '../../src/observability/logger.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness, type GraphQLAnswer, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { follow, wsClient } from '../helpers/ws.js';

/**
 * A subscriber on a replica that follows (another polls): the end of the
 * operation reaches it over Redis, and its answer reads the backup. That
 * replica had a read of the instance's backups in flight from before the end
 * (a dashboard's), and the subscriber's read joined it: told SUCCEEDED with
 * its backup still CREATING. The poller forgets its older flights when it
 * sees the end; a follower now does too when it hears of it.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const FOLLOW = 'subscription($id: ID!) { operationUpdated(id: $id) { status backup { status } } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { name status } } }';
type Update = { status: string; backup: { status: string } | null };

describe.skipIf(!redis.url)(redisSuite('a following replica reads after the end it hears of', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let harness: Harness;
  let poller: RunningGateway;
  let follower: RunningGateway;
  const clients: Client[] = [];

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
  const updates = (client: Client, id: string): Promise<Update[]> =>
    new Promise((resolve, reject) => {
      const seen: Update[] = [];
      client.subscribe<{ operationUpdated: Update }>(
        { query: FOLLOW, variables: { id } },
        {
          next: (value) => (value.data ? seen.push(value.data.operationUpdated) : reject(new Error(JSON.stringify(value.errors)))),
          error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
          complete: () => resolve(seen),
        },
      );
    });

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    poller = await replica();
    follower = await replica();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await Promise.all([poller?.close(), follower?.close()]);
    await harness?.close();
  });

  it('a SUCCEEDED create heard over Redis answers its backup AVAILABLE, not as an older read in flight saw it', async () => {
    (harness.simulator('zomro').simulator as ZomroSimulator).asyncDelayMs = 2_000;
    const simulator = harness.simulator('zomro').server;
    const list = await gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(poller, '{ instances { edges { node { id } } } }', {});
    const instanceId = list.data!.instances.edges[2]!.node.id;
    const created = await gql<{ createBackup: { operation: { id: string } } }>(poller, 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', {
      input: { instanceId, name: 'heard-finished' },
    });
    const id = created.data!.createBackup.operation.id;
    const onPoller = wsClient(poller.graphqlUrl);
    const onFollower = wsClient(follower.graphqlUrl);
    clients.push(onPoller, onFollower);
    // The poller's subscriber first: it takes the lease; the follower's hears what it publishes.
    const polled = follow(onPoller, id);
    expect(await polled.first).toBe('RUNNING');
    const heard = updates(onFollower, id);
    await eventually(() => Promise.resolve(follower.services.watcher.loops), (loops) => loops === 1);
    expect(follower.services.watcher.polling).toBe(0);
    // A dashboard on the follower reads the backups while the create runs; its answer (CREATING) lands 5 s late, past the end (2 s).
    await simulator.setFault({ mode: 'late', slowMs: 5_000, onlyLabel: 'instances.fleio_bckps', times: 1 });
    const started = performance.now();
    const before = gql<{ instance: { backups: Array<{ name: string; status: string }> } }>(follower, BACKUPS, { id: instanceId });
    try {
      const seen = await heard;
      expect(seen.at(-1)?.status).toBe('SUCCEEDED');
      expect(seen.at(-1)?.backup?.status).toBe('AVAILABLE');
      const old = await before;
      // The dashboard's read was the one held (the poller's polls did not take the fault).
      expect(performance.now() - started).toBeGreaterThan(4_500);
      expect(old.data?.instance.backups.find((backup) => backup.name === 'heard-finished')?.status).toBe('CREATING');
    } finally {
      await simulator.clearFault();
    }
    expect(await polled.all).toEqual(['RUNNING', 'SUCCEEDED']);
  }, 30_000);
});
