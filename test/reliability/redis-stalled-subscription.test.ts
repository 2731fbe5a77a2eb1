import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisOperationBus, type RedisOperationBus } from '../../src/cluster/redis-operation-bus.js';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';
import { follow, wsClient } from '../helpers/ws.js';

/**
 * A subscriber on a replica whose Redis stopped answering (connection up):
 * the watch polls alone instead of waiting for the bus's commands to fail,
 * so it hears the operation while it runs, not only its end.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('operationUpdated with a stalled Redis', redis), () => {
  let proxy: RedisProxy;
  let harness: Harness;
  let bus: RedisOperationBus;
  let gateway: RunningGateway;
  let client: Client;

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    // The backup takes 10 s: long enough to be seen RUNNING by a watch that does not wait on Redis,
    // after a mutation that waits its 2 s for the started record (MUTATION_STORE_WAIT_MS) and the
    // 250 ms of each other store it touches (4 s was spent by that on a loaded machine).
    harness = await startHarness({ kinds: ['zomro'], simulator: { asyncDelayMs: 10_000 } });
    const store = new RedisStore(proxy.url, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    bus = await createRedisOperationBus(proxy.url);
    gateway = await startGatewayServer(harness.config, { logger: createLogger('silent'), store, operationBus: bus });
    client = wsClient(gateway.graphqlUrl);
  });
  afterAll(async () => {
    proxy?.flow();
    await client?.dispose();
    await gateway?.close();
    await harness?.close();
    await proxy?.close();
  });

  it('polls alone and tells every status', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    proxy.stall();
    try {
      const response = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "stalled-bus" }) { operation { id } } }', variables: { id: list.data!.instances.edges[0]!.node.id } }),
      });
      const created = (await response.json()) as { data: { createBackup: { operation: { id: string } } } };
      const followed = follow(client, created.data.createBackup.operation.id);
      expect(await followed.all).toEqual(['RUNNING', 'SUCCEEDED']);
    } finally {
      proxy.flow();
    }
  });
});
