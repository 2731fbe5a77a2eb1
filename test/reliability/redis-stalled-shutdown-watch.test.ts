import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisOperationBus } from '../../src/cluster/redis-operation-bus.js';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { REDIS_COMMAND_TIMEOUT_MS, RedisStore } from '../../src/state/redis-store.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';
import { follow, wsClient } from '../helpers/ws.js';

/**
 * A replica told to stop while its Redis has stopped answering, with a
 * subscriber following a running operation: this replica polls it and holds
 * its lease. The watch gives the lease up (and leaves the bus) before the
 * connections close, and a stalled Redis fails that at the command timeout;
 * QUIT, queued behind it, then waited a command timeout of its own: 10 s, as
 * long as the default drain timeout, which cut the stop short ("drain timeout
 * passed") instead of saying Redis was lost.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

/**
 * One command timeout for the lease release, and QUIT's least wait (1 s) after it: about 6 s. Two
 * timeouts are 10 s before the QUIT: the bound lies between, loose for a loaded machine.
 */
const STOPS_WITHIN_MS = 2 * REDIS_COMMAND_TIMEOUT_MS - 500;

describe.skipIf(!redis.url)(redisSuite('stopping with a stalled Redis while an operation is followed', redis), () => {
  let proxy: RedisProxy;
  let harness: Harness;
  let gateway: RunningGateway;
  let client: Client;

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    // The backup runs far longer than the test: it is still being polled when the stop comes.
    harness = await startHarness({ kinds: ['zomro'], simulator: { asyncDelayMs: 600_000 } });
    const store = new RedisStore(proxy.url, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    const bus = await createRedisOperationBus(proxy.url);
    gateway = await startGatewayServer(harness.config, { logger: createLogger('silent'), store, operationBus: bus });
    client = wsClient(gateway.graphqlUrl);
  });
  afterAll(async () => {
    proxy?.flow();
    await client?.dispose();
    await harness?.close();
    await proxy?.close();
  });

  it('holds the stop for one command timeout in all, and says the connections were dropped', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    const response = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "stalled-stop" }) { operation { id } } }', variables: { id: list.data!.instances.edges[0]!.node.id } }),
    });
    const created = (await response.json()) as { data: { createBackup: { operation: { id: string } } } };
    const followed = follow(client, created.data.createBackup.operation.id);
    // The stop closes the subscription (1001) before it ends: that is not this test's failure.
    followed.all.catch(() => {});
    // A status heard: this replica's watch polled, so it holds the lease it must give up.
    expect(await followed.first).toBe('RUNNING');
    proxy.stall();
    const started = performance.now();
    const stopped = await gateway.close().then(
      () => 'closed cleanly',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    const tookMs = performance.now() - started;
    expect(stopped).toMatch(/Redis \(shared state\) did not answer QUIT/);
    expect(stopped).toMatch(/Redis \(operation bus\) did not answer QUIT/);
    expect(tookMs, `the stop took ${Math.round(tookMs)} ms: more than one command timeout (${REDIS_COMMAND_TIMEOUT_MS} ms) waited on the stalled Redis`).toBeLessThan(STOPS_WITHIN_MS);
  }, 60_000);
});
