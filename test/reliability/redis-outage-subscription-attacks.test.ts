import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { STARTED_OPERATIONS_NAMESPACE } from '../../src/gateway/started-operations.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, gqlAt, startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';
import { wsClient } from '../helpers/ws.js';

/**
 * Attacks on a subscription riding out a shared store that stops answering (a Zomro delete, whose
 * SUCCEEDED rests on the record that this gateway started it): many subscribers at once, the
 * record gone for real once the store answers again, and the gateway shut down mid-outage. The
 * gateways' Redis is behind a proxy of the test's, so the shared one is never stalled.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const BACKUPS = '{ instances { edges { node { backups { id } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
type Listed = { instances: { edges: Array<{ node: { backups: Array<{ id: string }> } }> } };
type Deleted = { deleteBackup: { operation: { id: string; status: string } } };
interface Followed {
  statuses: string[];
  errors: string[];
  /** How it ended: `complete`, an `error` message, or the connection closed. */
  end: 'complete' | 'error' | 'closed';
}

function followToEnd(client: Client, id: string): Promise<Followed> {
  const statuses: string[] = [];
  const errors: string[] = [];
  return new Promise((resolve) => {
    client.subscribe<{ operationUpdated: { status: string } }>(
      { query: 'subscription($id: ID!) { operationUpdated(id: $id) { status } }', variables: { id } },
      {
        next: (value) => {
          for (const error of value.errors ?? []) errors.push(String(error.extensions?.code));
          if (value.data?.operationUpdated) statuses.push(value.data.operationUpdated.status);
        },
        error: (error: unknown) => {
          if (!Array.isArray(error)) return resolve({ statuses, errors, end: 'closed' });
          for (const each of error as Array<{ extensions?: { code?: unknown } }>) errors.push(String(each.extensions?.code));
          resolve({ statuses, errors, end: 'error' });
        },
        complete: () => resolve({ statuses, errors, end: 'complete' }),
      },
    );
  });
}

async function recordReadsFailed(adminUrl: string): Promise<number> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('backup_graph_store_failures_total{') && line.includes('store="started_operations"'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe.skipIf(!redis.url)(redisSuite('operationUpdated riding out a Redis outage, attacked', redis), () => {
  let proxy: RedisProxy;
  let harness: Harness;
  let prefix: string;
  /** Straight to Redis, past the proxy: the test's own hand on the records. */
  let direct: RedisStore;
  let backups: string[];
  const gateways: RunningGateway[] = [];

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    prefix = `backup-graph-test:${randomUUID()}:`;
    const store = new RedisStore(proxy.url, prefix);
    direct = new RedisStore(redis.url as string, prefix);
    await Promise.all([store.ready(), direct.ready()]);
    harness = await startHarness({ kinds: ['zomro'], store, simulator: { asyncDelayMs: 1_000 } });
    const listed = await harness.gql<Listed>(BACKUPS);
    backups = listed.data!.instances.edges.flatMap((edge) => edge.node.backups.map((backup) => backup.id));
  });
  afterAll(async () => {
    proxy?.flow();
    proxy?.mend();
    for (const gateway of gateways) await gateway.close().catch(() => undefined);
    await harness?.close();
    await direct?.close();
    await proxy?.close();
  });

  const deleteOn = async (graphqlUrl: string, backupId: string): Promise<string> => {
    const deleted = await gqlAt(graphqlUrl)<Deleted>(DELETE, { input: { backupId } });
    expect(deleted.errors).toBeUndefined();
    return deleted.data!.deleteBackup.operation.id;
  };

  it("20 subscribers to one operation during the outage (5 on each of 4 connections, under an address's caps) share one poll loop: the record is read once a poll, not once a subscriber", async () => {
    const subscribers = 20;
    const operation = await deleteOn(harness.gateway.graphqlUrl, backups[0]!);
    const failedBefore = await recordReadsFailed(harness.gateway.adminUrl);
    const clients = Array.from({ length: 4 }, () => wsClient(harness.gateway.graphqlUrl));
    proxy.stall();
    try {
      const followed = Array.from({ length: subscribers }, (_, n) => followToEnd(clients[n % clients.length] as Client, operation));
      await eventually(() => recordReadsFailed(harness.gateway.adminUrl), (failed) => failed > failedBefore);
      proxy.flow();
      const ends = await Promise.all(followed);
      for (const { statuses, errors } of ends) {
        expect(errors).toEqual([]);
        expect(statuses.at(-1)).toBe('SUCCEEDED');
      }
      expect((await recordReadsFailed(harness.gateway.adminUrl)) - failedBefore).toBeLessThan(subscribers);
    } finally {
      proxy.flow();
      await Promise.all(clients.map((client) => client.dispose()));
    }
  }, 60_000);

  it('the record gone for real once Redis answers again: the subscription ends, with no SUCCEEDED the record no longer vouches for', async () => {
    const operation = await deleteOn(harness.gateway.graphqlUrl, backups[1]!);
    const failedBefore = await recordReadsFailed(harness.gateway.adminUrl);
    const client = wsClient(harness.gateway.graphqlUrl);
    proxy.stall();
    try {
      const followed = followToEnd(client, operation);
      await eventually(() => recordReadsFailed(harness.gateway.adminUrl), (failed) => failed > failedBefore);
      await direct.namespace(STARTED_OPERATIONS_NAMESPACE, { maxEntries: 1 }).delete(operation);
      proxy.flow();
      const { statuses, errors, end } = await followed;
      expect(statuses).not.toContain('SUCCEEDED');
      expect(errors).not.toContain('STORE_UNAVAILABLE');
      expect(end).not.toBe('closed');
    } finally {
      proxy.flow();
      await client.dispose();
    }
  }, 60_000);

  it('the gateway shut down during the outage: the subscription ends with the shutdown, not at the 30 s bound with STORE_UNAVAILABLE', async () => {
    const store = new RedisStore(proxy.url, prefix);
    await store.ready();
    const gateway = await startGatewayServer(harness.config, { logger: createLogger('silent'), store });
    gateways.push(gateway);
    const operation = await deleteOn(gateway.graphqlUrl, backups[2]!);
    const failedBefore = await recordReadsFailed(gateway.adminUrl);
    const client = wsClient(gateway.graphqlUrl);
    try {
      proxy.cut();
      const followed = followToEnd(client, operation);
      await eventually(() => recordReadsFailed(gateway.adminUrl), (failed) => failed > failedBefore);
      const closed = gateway.close();
      const { statuses, errors } = await followed;
      await closed;
      expect(errors).not.toContain('STORE_UNAVAILABLE');
      expect(statuses).not.toContain('SUCCEEDED');
    } finally {
      proxy.mend();
      await client.dispose();
    }
  }, 25_000);
});
