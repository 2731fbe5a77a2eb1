import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { startHarness, withClients, withLimits, withSettings } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy } from '../helpers/redis-proxy.js';
import { rawConnection } from '../helpers/ws.js';

/**
 * With Redis, a WebSocket operation waits for the replicas' rate count (up to 250 ms) once its
 * place is taken on its connection. That place, counted as answering, kept the connection open
 * when shutdown began during the wait, and the operation then ran: a mutation acted after the
 * drain began, which the gateway refuses for every other operation (SHUTTING_DOWN).
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const KEY = 'ws-drain-count-operator-key-0123456789';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
/** The rate count's script names its keys `<prefix>limits:rate:...`. */
const RATE_COUNT = /limits:rate:/;

describe.skipIf(!redis.url)(redisSuite('a WebSocket operation waiting for the shared rate count when shutdown begins', redis), () => {
  it('is refused SHUTTING_DOWN and never acts, and its connection closes without waiting out the drain', async () => {
    const proxy = await startRedisProxy(redis.url as string);
    const store = new RedisStore(proxy.url, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    const harness = await startHarness({
      kinds: ['zomro'],
      store,
      configure: [
        withClients([{ name: 'ops', key: KEY, roles: ['operator'] }]),
        withLimits({ rateLimit: { requestsPerSecond: 100, burst: 100 } }),
        // Longer than the test's own limit: a connection left open for the drain fails it.
        withSettings({ shutdown: { drainTimeoutMs: 60_000 } }),
      ],
    });
    const { server } = harness.simulator('zomro');
    // A bare connection: graphql-ws's client closes its own once its last operation ends, and the server's close is the point here.
    const connection = rawConnection(harness.gateway.graphqlUrl, KEY);
    const messages: Array<{ type: string; id?: string; payload?: unknown }> = [];
    connection.socket.on('message', (data) => messages.push(JSON.parse(String(data)) as { type: string }));
    try {
      const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 1) { edges { node { id } } } }', undefined, { key: KEY });
      const instanceId = list.data!.instances.edges[0]!.node.id;
      expect(await connection.acknowledged).toBe(true);
      const counting = proxy.sent(RATE_COUNT);
      connection.socket.send(JSON.stringify({ type: 'subscribe', id: 'm1', payload: { query: CREATE, variables: { input: { instanceId, name: 'during-drain' } } } }));
      // The count has gone to Redis and its answer cannot be back before this turn ends: the drain begins during the wait.
      await counting;
      const closing = harness.gateway.close();
      // Before, the backup was made and its answer written before the connection closed.
      expect((await connection.closed).code).toBe(1001);
      expect(messages.filter((message) => message.id === 'm1')).toMatchObject([{ type: 'error', payload: [{ extensions: { code: 'SHUTTING_DOWN' } }] }]);
      // Closed without waiting out the drain: nothing of it counted as cut.
      expect(await closing).toEqual({ operationsCut: 0, requestsCut: 0 });
      expect(server.count('instances.fleio_bckps.edit')).toBe(0);
    } finally {
      connection.socket.terminate();
      await harness.close();
      await proxy.close();
    }
  }, 15_000);
});
