import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, gqlAt, startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';
import { wsClient } from '../helpers/ws.js';

/**
 * A subscription to a Zomro delete: its SUCCEEDED rests on the backup being gone from the list,
 * told only once the shared store says this gateway started the delete (vouchForAnswer). The
 * gateway's Redis (behind a proxy of the test's, so the shared one is never touched) stops
 * answering meanwhile. The subscription rides a short outage out, polling on with its backoff,
 * and ends with STORE_UNAVAILABLE only once the outage has lasted past its bound.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const BACKUPS = '{ instances { edges { node { backups { id } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
type Listed = { instances: { edges: Array<{ node: { backups: Array<{ id: string }> } }> } };
type Deleted = { deleteBackup: { operation: { id: string; status: string } } };

/** Each status a subscription was told, and its errors' codes, once it ends. */
function followToEnd(client: Client, id: string): Promise<{ statuses: string[]; errors: string[] }> {
  const statuses: string[] = [];
  const errors: string[] = [];
  return new Promise((resolve, reject) => {
    client.subscribe<{ operationUpdated: { status: string } }>(
      { query: 'subscription($id: ID!) { operationUpdated(id: $id) { status } }', variables: { id } },
      {
        next: (value) => {
          for (const error of value.errors ?? []) errors.push(String(error.extensions?.code));
          if (value.data?.operationUpdated) statuses.push(value.data.operationUpdated.status);
        },
        error: (error: unknown) => {
          if (!Array.isArray(error)) return reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
          for (const each of error as Array<{ extensions?: { code?: unknown } }>) errors.push(String(each.extensions?.code));
          resolve({ statuses, errors });
        },
        complete: () => resolve({ statuses, errors }),
      },
    );
  });
}

/** backup_graph_store_failures_total of the started-operations records, summed over its failure kinds. */
async function recordReadsFailed(adminUrl: string): Promise<number> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('backup_graph_store_failures_total{') && line.includes('store="started_operations"'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe.skipIf(!redis.url)(redisSuite('operationUpdated while Redis stops answering', redis), () => {
  let proxy: RedisProxy;
  let harness: Harness;
  /** The same config and providers, its started records read within a short bound (subscriptionStoreOutageMs). */
  let bounded: RunningGateway;
  let backups: string[];

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    // A store each: a gateway closes its own at the end.
    const prefix = `backup-graph-test:${randomUUID()}:`;
    const [store, boundedStore] = [new RedisStore(proxy.url, prefix), new RedisStore(proxy.url, prefix)];
    await Promise.all([store.ready(), boundedStore.ready()]);
    harness = await startHarness({ kinds: ['zomro'], store, simulator: { asyncDelayMs: 1_000 } });
    bounded = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: boundedStore, subscriptionStoreOutageMs: 1_000 });
    const listed = await harness.gql<Listed>(BACKUPS);
    backups = listed.data!.instances.edges.flatMap((edge) => edge.node.backups.map((backup) => backup.id));
  });
  afterAll(async () => {
    proxy?.flow();
    await bounded?.close();
    await harness?.close();
    await proxy?.close();
  });

  const deleteOn = async (graphqlUrl: string, backupId: string): Promise<string> => {
    const deleted = await gqlAt(graphqlUrl)<Deleted>(DELETE, { input: { backupId } });
    expect(deleted.errors).toBeUndefined();
    return deleted.data!.deleteBackup.operation.id;
  };

  const outages = [
    { outage: 'stalled (connections up, nothing answered)', begin: () => proxy.stall(), end: () => proxy.flow(), backup: 0 },
    { outage: 'cut (connections closed, new ones refused)', begin: () => proxy.cut(), end: () => proxy.mend(), backup: 2 },
  ];
  it.each(outages)('rides out a short outage, $outage: the status once Redis answers again, not STORE_UNAVAILABLE', async ({ begin, end, backup }) => {
    const operation = await deleteOn(harness.gateway.graphqlUrl, backups[backup]!);
    const failedBefore = await recordReadsFailed(harness.gateway.adminUrl);
    const client = wsClient(harness.gateway.graphqlUrl);
    begin();
    try {
      const followed = followToEnd(client, operation);
      // A poll has found the backup gone and could not read the record that vouches for it.
      await eventually(() => recordReadsFailed(harness.gateway.adminUrl), (failed) => failed > failedBefore);
      end();
      const { statuses, errors } = await followed;
      expect(errors).toEqual([]);
      expect(statuses.at(-1)).toBe('SUCCEEDED');
    } finally {
      end();
      await client.dispose();
    }
  });

  it('ends with STORE_UNAVAILABLE once the outage outlasts the bound', async () => {
    const operation = await deleteOn(bounded.graphqlUrl, backups[1]!);
    const client = wsClient(bounded.graphqlUrl);
    proxy.stall();
    try {
      const { statuses, errors } = await followToEnd(client, operation);
      expect(errors).toEqual(['STORE_UNAVAILABLE']);
      expect(statuses).not.toContain('SUCCEEDED');
    } finally {
      proxy.flow();
      await client.dispose();
    }
  });
});
