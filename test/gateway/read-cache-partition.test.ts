import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness, withProviderSettings, type GraphQLAnswer, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * A mutation on a replica that cannot reach Redis at that moment: its
 * invalidation of the shared read cache reaches the other replicas once
 * Redis is reachable again, not after the account's cacheTtlMs.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { name } } }';
type Backups = { instance: { backups: Array<{ name: string }> } };

describe.skipIf(!redis.url)(redisSuite('read cache invalidation across a partition from Redis', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let harness: Harness;
  let other: RunningGateway;
  let instanceId: string;

  const onOther = async (): Promise<GraphQLAnswer<Backups>> => {
    const response = await fetch(other.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: BACKUPS, variables: { id: instanceId } }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, ...(JSON.parse(text) as Pick<GraphQLAnswer<Backups>, 'data' | 'errors'>) };
  };

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    // This replica reaches Redis through the proxy; the other directly.
    const behindProxy = new RedisStore(proxy.url, prefix);
    const direct = new RedisStore(redis.url as string, prefix);
    await Promise.all([behindProxy.ready(), direct.ready()]);
    harness = await startHarness({ kinds: ['zomro'], store: behindProxy, configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    other = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: direct });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    instanceId = list.data!.instances.edges[3]!.node.id;
  });
  afterAll(async () => {
    proxy?.mend();
    await other?.close();
    await harness?.close();
    await proxy?.close();
  });

  it('the other replica sees a backup created while this one was cut off from Redis, once it is back', async () => {
    const before = await onOther();
    expect(before.errors).toBeUndefined();
    proxy.cut();
    try {
      const created = await harness.gql(CREATE, { input: { instanceId, name: 'made-while-cut' } });
      expect(created.errors).toBeUndefined();
    } finally {
      proxy.mend();
    }
    const after = await eventually(onOther, (answer) => answer.data?.instance.backups.some((backup) => backup.name === 'made-while-cut') === true, { timeoutMs: 15_000 });
    expect(after.errors).toBeUndefined();
  });
});
