import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, type Harness, startHarness, withAccountCopy, withProviderSettings } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

const redis = await testRedis();
afterAll(() => redis.stop());

interface Answer {
  providers: Array<{ id: string; health: string; healthCause: string | null }>;
}

describe.skipIf(!redis.url)(redisSuite('provider health in the answer, with the read cache and deletes in Redis', redis), () => {
  let harness: Harness;
  let store: RedisStore;
  // The harness closes the store it was given.
  afterEach(() => harness.close());

  it('an unreachable account: not UP beside its own failure', async () => {
    store = new RedisStore(redis.url as string, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    harness = await startHarness({
      kinds: ['zomro'],
      store,
      configure: [withAccountCopy('zomro', { id: 'zomro-lost', url: 'http://127.0.0.1:1/' }), withProviderSettings({ retries: 0, cacheTtlMs: 60_000 })],
    });
    const answer = await harness.gql<Answer>('{ providers { id health healthCause } instances { providerErrors { provider { id } code } } }');
    expect(answer.data?.providers).toEqual([
      { id: 'zomro-test', health: 'UP', healthCause: null },
      { id: 'zomro-lost', health: 'DEGRADED', healthCause: 'UNREACHABLE' },
    ]);
  });

  it('a nested list failing after the instance list: not UP', async () => {
    store = new RedisStore(redis.url as string, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    harness = await startHarness({ kinds: ['zomro'], store, configure: withProviderSettings({ retries: 0, cacheTtlMs: 60_000 }) });
    await harness.simulator('zomro').server.setFault({ mode: 'http-503', onlyLabel: 'instances.fleio_bckps' });
    const answer = await harness.gql<Answer>('{ providers { id health healthCause } instances(first: 1) { edges { node { backups { id } } } } }');
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(answer.data?.providers).toEqual([{ id: 'zomro-test', health: 'DEGRADED', healthCause: 'SERVER_ERROR' }]);
  });

  it("a read that starts after the request waited on Redis for the deletes in flight: not UP", async () => {
    store = new RedisStore(redis.url as string, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    harness = await startHarness({ kinds: ['zomro'], store, configure: withProviderSettings({ retries: 0, cacheTtlMs: 60_000 }) });
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> } }> } }>(
      '{ instances { edges { node { backups { id } } } } }',
    );
    const backupId = listed.data?.instances.edges.flatMap((edge) => edge.node.backups)[0]?.id;
    expect(backupId).toBeDefined();
    // The backup's list is in the read cache now; its instance is read from the provider, which fails,
    // and that read starts only once the request has read the deletes in flight from Redis.
    await harness.simulator('zomro').server.setFault({ mode: 'http-503', onlyLabel: 'instances' });
    const answer = await harness.gql<Answer>('query($id: ID!) { providers { id health healthCause } node(id: $id) { ... on Backup { instance { name } } } }', { id: backupId });
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(answer.data?.providers).toEqual([{ id: 'zomro-test', health: 'DEGRADED', healthCause: 'SERVER_ERROR' }]);
  });

  it('a read that starts after an operation seen finished was handled in Redis: not UP', async () => {
    store = new RedisStore(redis.url as string, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    harness = await startHarness({ kinds: ['zomro'], store, configure: withProviderSettings({ retries: 0, cacheTtlMs: 60_000 }) });
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(
      'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }',
      { input: { instanceId: listed.data?.instances.edges[0]?.node.id, name: 'health-after-redis' } },
    );
    const operationId = created.data?.createBackup.operation.id;
    expect(operationId).toBeDefined();
    await eventually(
      () => harness.gql<{ operation: { status: string } }>('query($id: ID!) { operation(id: $id) { status } }', { id: operationId }),
      (answer) => answer.data?.operation.status === 'SUCCEEDED',
    );
    // Read again, the operation is seen finished (its instance's cached lists dropped in Redis); its
    // instance is read from the provider, which fails, only once that is done.
    await harness.simulator('zomro').server.setFault({ mode: 'http-503', onlyLabel: 'instances' });
    const answer = await harness.gql<Answer>('query($id: ID!) { providers { id health healthCause } operation(id: $id) { instance { name } } }', { id: operationId });
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(answer.data?.providers).toEqual([{ id: 'zomro-test', health: 'DEGRADED', healthCause: 'SERVER_ERROR' }]);
  });
});
