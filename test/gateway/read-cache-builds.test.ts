import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { cachedListAt, replaceCachedList } from '../helpers/cached-entries.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * A rollout: replicas of two builds share the read cache in Redis. A list one
 * build cached can have every field the other reads, each of its type, and
 * still mean something else (the version before read Zomro's dates as UTC):
 * the shape check passed it, and the new build served it for cacheTtlMs.
 * Each build now reads only the lists it cached itself; a write through
 * either still drops what both cached.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { name } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
type Backups = { instance: { backups: Array<{ name: string }> } };
/** What the build before made of the backups' names: the same shape, another meaning. */
const AS_THE_OTHER_BUILD_READ_IT = 'read by the other build';

describe.skipIf(!redis.url)(redisSuite('read cache shared by replicas of two builds', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const stores = redis.url ? [new RedisStore(redis.url, prefix), new RedisStore(redis.url, prefix)] : [];
  let raw: Redis;
  let harness: Harness;
  let nextBuild: RunningGateway;
  let instanceId: string;

  const namesOn = async (url: string): Promise<string[]> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: BACKUPS, variables: { id: instanceId } }) });
    const answer = (await response.json()) as { data?: Backups; errors?: unknown[] };
    expect(answer.errors).toBeUndefined();
    return answer.data!.instance.backups.map((backup) => backup.name);
  };

  beforeAll(async () => {
    raw = new Redis(redis.url as string);
    await Promise.all(stores.map((store) => store.ready()));
    harness = await startHarness({ kinds: ['zomro'], store: stores[0]!, configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    nextBuild = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1]!, cacheBuild: 'next' });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    instanceId = list.data!.instances.edges[3]!.node.id;
  });
  afterAll(async () => {
    await nextBuild?.close();
    await harness?.close();
    await raw?.quit();
  });

  it("serves each build its own lists, never the other build's reading of the provider", async () => {
    const fresh = await namesOn(harness.gateway.graphqlUrl);
    expect(fresh.length).toBeGreaterThan(0);
    const keys = await raw.keys(`${prefix}cache:*:backups:*`);
    expect(keys).toHaveLength(1);
    const records = await cachedListAt<Record<string, unknown>>(raw, keys[0] as string);
    await replaceCachedList(raw, keys[0] as string, records.map((record) => ({ ...record, name: AS_THE_OTHER_BUILD_READ_IT })));

    // The build that cached it serves it (the cache is in use), the other reads the provider.
    expect(new Set(await namesOn(harness.gateway.graphqlUrl))).toEqual(new Set([AS_THE_OTHER_BUILD_READ_IT]));
    expect(await namesOn(nextBuild.graphqlUrl)).toEqual(fresh);
  });

  it('drops what both builds cached on a write through either', async () => {
    await namesOn(nextBuild.graphqlUrl);
    const created = await fetch(nextBuild.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: CREATE, variables: { input: { instanceId, name: 'made-through-the-next-build' } } }),
    });
    expect(((await created.json()) as { errors?: unknown[] }).errors).toBeUndefined();
    for (const url of [harness.gateway.graphqlUrl, nextBuild.graphqlUrl]) expect(await namesOn(url)).toContain('made-through-the-next-build');
  });
});
