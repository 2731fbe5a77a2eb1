import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisOperationBus } from '../../src/cluster/redis-operation-bus.js';
import { createLogger } from '../../src/observability/logger.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { startCreate, type Node } from '../helpers/danube-creates.js';
import { eventually, startHarness, type GraphQLAnswer, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { follow, wsClient } from '../helpers/ws.js';

/**
 * cancelOperation on one replica while the other polls the operation for its
 * subscribers: the subscribers hear it end FAILED once, the cancel answers
 * the same, and a later read on either replica agrees.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const CANCEL = 'mutation($input: CancelOperationInput!) { cancelOperation(input: $input) { operation { status error } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

describe.skipIf(!redis.url)(redisSuite('cancelOperation on one replica while another polls', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let harness: Harness;
  let canceller: RunningGateway;
  let poller: RunningGateway;
  let nodes: Node[];
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

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: 8 } });
    (harness.simulator('danube').simulator as DanubeSimulator).asyncDelayMs = 20_000;
    [canceller, poller] = [await replica(), await replica()];
    const answer = await gql<{ instances: { edges: Array<{ node: Node }> } }>(poller, '{ instances { edges { node { id nativeId } } } }', {});
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await Promise.all([canceller?.close(), poller?.close()]);
    await harness?.close();
  });

  it('the subscribers on the polling replica hear FAILED once, as the cancel answered', async () => {
    const { id } = await startCreate((query, variables) => gql(canceller, query, variables), nodes[0]!, 'cancelled-elsewhere');
    const client = wsClient(poller.graphqlUrl);
    clients.push(client);
    const followed = follow(client, id);
    expect(await followed.first).toBe('RUNNING');
    await eventually(() => Promise.resolve(poller.services.watcher.polling), (polling) => polling === 1);
    const cancelled = await gql<{ cancelOperation: { operation: { status: string; error: string | null } } }>(canceller, CANCEL, { input: { operationId: id } });
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data?.cancelOperation.operation.status).toBe('FAILED');
    expect(await followed.all).toEqual(['RUNNING', 'FAILED']);
    for (const gateway of [canceller, poller]) {
      const read = await gql<{ operation: { status: string; error: string | null } }>(gateway, OPERATION, { id });
      expect(read.data?.operation).toEqual(cancelled.data?.cancelOperation.operation);
    }
  }, 30_000);

  // The record of the operations the gateway started is in Redis: another replica, or one started after the first stopped, cancels it.
  it('an operation started on a replica that has stopped since is cancelled by another', async () => {
    const starter = await replica();
    const withDaily = (harness.simulator('danube').simulator as DanubeSimulator).definitions.filter((definition) => definition.name === 'daily').map((definition) => definition.hostname);
    const node = nodes.find((item) => item !== nodes[0] && withDaily.includes(item.nativeId))!;
    const { id } = await startCreate((query, variables) => gql(starter, query, variables), node, 'started-on-a-stopped-replica');
    await starter.close();
    const restarted = await replica();
    try {
      const cancelled = await gql<{ cancelOperation: { operation: { status: string; error: string | null } } }>(restarted, CANCEL, { input: { operationId: id } });
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data?.cancelOperation.operation).toEqual({ status: 'FAILED', error: 'the task was revoked' });
    } finally {
      await restarted.close();
    }
  });
});
