import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisOperationBus } from '../../src/cluster/redis-operation-bus.js';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { commandTimeoutWitness, type CommandTimeoutWitness } from '../helpers/command-timeout-witness.js';
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
/** What closeRedis gives a QUIT sent once the shared deadline has passed (its MIN_QUIT_MS). */
const QUIT_SENT_LATE_WAIT_MS = 1_000;
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('stopping with a stalled Redis while an operation is followed', redis), () => {
  let proxy: RedisProxy;
  let harness: Harness;
  let gateway: RunningGateway;
  let client: Client;
  let witness: CommandTimeoutWitness;

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    // The backup runs far longer than the test: it is still being polled when the stop comes.
    harness = await startHarness({ kinds: ['zomro'], simulator: { asyncDelayMs: 600_000 } });
    const store = new RedisStore(proxy.url, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    const bus = await createRedisOperationBus(proxy.url);
    gateway = await startGatewayServer(harness.config, { logger: createLogger('silent'), store, operationBus: bus });
    client = wsClient(gateway.graphqlUrl);
    witness = await commandTimeoutWitness(proxy.url);
  });
  afterAll(async () => {
    proxy?.flow();
    witness?.close();
    await client?.dispose();
    await harness?.close();
    await proxy?.close();
  });

  it('holds the stop for less than two command timeouts one after the other, and says the connections were dropped', async () => {
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
    // One command timeout for the lease release, QUIT's least wait (1 s) after it: less than two
    // timeouts one after the other, on the witness's connection through the same stalled proxy.
    // QUIT given a timeout of its own after the release's: two, and the witness's second came first.
    witness.start();
    const twoTimeouts = 'two command timeouts passed one after the other before the stop ended';
    const stopped = await Promise.race([
      gateway.close().then(
        () => 'closed cleanly',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
      witness.after(2, twoTimeouts),
    ]);
    expect(stopped).not.toBe(twoTimeouts);
    expect(stopped).toMatch(/Redis \(shared state\) did not answer QUIT/);
    expect(stopped).toMatch(/Redis \(operation bus\) did not answer QUIT/);
    // Sent once the shared deadline (one command timeout from the close) had passed, behind the
    // release: each QUIT says it was given the least wait, not a command timeout of its own.
    const waits = [...stopped.matchAll(/did not answer QUIT: no answer within (\d+) ms/g)].map((match) => Number(match[1]));
    expect(waits.length, stopped).toBeGreaterThanOrEqual(2);
    for (const waited of waits) expect(waited, stopped).toBe(QUIT_SENT_LATE_WAIT_MS);
  }, 60_000);
});
