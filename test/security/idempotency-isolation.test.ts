import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config/schema.js';
import { encodeId } from '../../src/domain/ids.js';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { errorCodes, type GraphQLAnswer, type Harness, startHarness, withClients, withLimits, withProviderSettings } from '../helpers/harness.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const SYNC = 'mutation($input: SyncBackupsInput!) { syncBackups(input: $input) { operation { id } } }';
const KEYS = { admin: 'isolation-admin-key-0123456789', viewer: 'isolation-viewer-key-0123456789' };

/** Backup ids of instances the provider never had: each a different made-up instance. */
const forgedBackups = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ __typename: 'Backup', id: encodeId('Backup', 'zomro-test', [String(800_000 + index), String(index)]) }));

async function instanceIds(harness: Harness, key: string): Promise<string[]> {
  const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(providerId: "zomro-test") { edges { node { id } } } }', undefined, { key });
  return answer.data!.instances.edges.map((edge) => edge.node.id);
}

describe('idempotency records apart from the read cache (in memory)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro', 'zstack'],
      configure: [
        withClients([
          { name: 'ops', key: KEYS.admin, roles: ['admin'] },
          { name: 'dashboard', key: KEYS.viewer, roles: ['viewer'] },
        ]),
        // A tiny read cache: a dashboard alone overflows it.
        withLimits({ readCacheMaxEntries: 5 }),
        withProviderSettings({ cacheTtlMs: 60_000 }),
      ],
    });
  });
  afterAll(() => harness.close());

  it("a viewer's flood of reads does not evict an admin's idempotency record", async () => {
    const createCalls = () => harness.simulator('zomro').server.count('instances.fleio_bckps.edit');
    const [instanceId] = await instanceIds(harness, KEYS.admin);
    const input = { instanceId, name: 'kept-record', idempotencyKey: randomUUID() };
    const first = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input }, { key: KEYS.admin });
    expect(first.errors).toBeUndefined();
    expect(createCalls()).toBe(1);

    for (let round = 0; round < 3; round++) {
      const dashboard = await harness.gql('{ instances { edges { node { id backups { id } schedules { id } } } } }', undefined, { key: KEYS.viewer });
      expect(dashboard.errors).toBeUndefined();
      await harness.gql('query($r: [_Any!]!) { _entities(representations: $r) { ... on Backup { id } } }', { r: forgedBackups(200) }, { key: KEYS.viewer });
    }

    const retried = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input }, { key: KEYS.admin });
    expect(retried.data?.createBackup.operation.id).toBe(first.data?.createBackup.operation.id);
    expect(createCalls()).toBe(1);
  });

  it('does not cache lists of instances the provider never listed (forged ids)', async () => {
    // ZStack answers an unknown VM uuid with an empty list (it filters by a set), which is cacheable.
    const forged = encodeId('Backup', 'zstack-test', [randomUUID().replaceAll('-', ''), randomUUID().replaceAll('-', '')]);
    const read = () => harness.gql<{ backup: unknown }>('query($id: ID!) { backup(id: $id) { id } }', { id: forged }, { key: KEYS.viewer });
    expect((await read()).data?.backup).toBeNull();
    harness.resetUpstreamLogs();
    expect((await read()).data?.backup).toBeNull();
    // Asked again: nothing about the forged instance was kept.
    expect(harness.simulator('zstack').server.count('GET /zstack/v1/volume-backups')).toBe(1);
  });

  it('still caches the lists of listed instances', async () => {
    const [instanceId] = await instanceIds(harness, KEYS.viewer);
    const read = () => harness.gql('query($id: ID!) { instance(id: $id) { backups { id } } }', { id: instanceId }, { key: KEYS.viewer });
    expect((await read()).errors).toBeUndefined();
    harness.resetUpstreamLogs();
    expect((await read()).errors).toBeUndefined();
    expect(harness.simulator('zomro').server.count('instances.fleio_bckps')).toBe(0);
  });
});

/**
 * Two gateways sharing Redis, whose configs give the same client name (or the
 * same key) different rights: the situation of a rolling config change, and
 * the one place two clients of one name can still meet.
 */
describe('idempotency records bound to the key, re-checked on replay (Redis, two gateways)', () => {
  let harness: Harness;
  let other: RunningGateway;
  const prefix = `bg-test-${randomUUID()}:`;
  const SHARED = 'isolation-shared-key-0123456789';
  const DEMOTED = 'isolation-demoted-key-0123456789';

  beforeAll(async () => {
    const stores = [new RedisStore(REDIS_URL, prefix), new RedisStore(REDIS_URL, prefix)];
    await Promise.all(stores.map((store) => store.ready()));
    harness = await startHarness({
      kinds: ['zomro', 'zstack'],
      store: stores[0]!,
      configure: withClients([
        { name: 'ops', key: KEYS.admin, roles: ['admin'] },
        { name: 'shared', key: SHARED, roles: ['admin'] },
        { name: 'demoted', key: DEMOTED, roles: ['admin'] },
      ]),
    });
    const otherConfig: GatewayConfig = {
      ...harness.config,
      clients: [
        // Same name as the admin over there, another key: a viewer scoped to zomro.
        { name: 'ops', key: KEYS.viewer, roles: ['viewer'], providers: ['zomro-test'] },
        // Same key, fewer rights: an operator who may not see zstack; a viewer.
        { name: 'shared', key: SHARED, roles: ['operator'], providers: ['zomro-test'] },
        { name: 'demoted', key: DEMOTED, roles: ['viewer'] },
      ],
    };
    other = await startGatewayServer(otherConfig, { logger: createLogger('silent'), store: stores[1]! });
  });
  afterAll(async () => {
    await other.close();
    await harness.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const onOther = async (query: string, variables: Record<string, unknown>, key: string): Promise<GraphQLAnswer> => {
    const response = await fetch(other.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, ...(JSON.parse(text) as Pick<GraphQLAnswer, 'data' | 'errors'>) };
  };
  const syncCalls = () => harness.simulator('zstack').server.count((request) => request.method === 'PUT' && request.label.endsWith('/actions'));

  it("gives a viewer of the same name no replay of an admin's syncBackups on another provider", async () => {
    const input = { providerId: 'zstack-test', idempotencyKey: randomUUID() };
    const before = syncCalls();
    const admin = await harness.gql(SYNC, { input }, { key: KEYS.admin });
    expect(admin.errors).toBeUndefined();
    expect(syncCalls()).toBe(before + 1);
    const viewer = await onOther(SYNC, { input }, KEYS.viewer);
    expect(viewer.data?.syncBackups ?? null).toBeNull();
    expect(errorCodes(viewer)).toEqual(['FORBIDDEN']);
    expect(syncCalls()).toBe(before + 1);
  });

  it('re-checks scope on replay: the same key, now blind to the provider, gets NOT_FOUND', async () => {
    const input = { providerId: 'zstack-test', idempotencyKey: randomUUID() };
    expect((await harness.gql(SYNC, { input }, { key: SHARED })).errors).toBeUndefined();
    const replay = await onOther(SYNC, { input }, SHARED);
    expect(errorCodes(replay)).toEqual(['NOT_FOUND']);
  });

  it('re-checks the role on replay: the same key, now a viewer, gets FORBIDDEN', async () => {
    const input = { providerId: 'zstack-test', idempotencyKey: randomUUID() };
    expect((await harness.gql(SYNC, { input }, { key: DEMOTED })).errors).toBeUndefined();
    const replay = await onOther(SYNC, { input }, DEMOTED);
    expect(errorCodes(replay)).toEqual(['FORBIDDEN']);
  });

  it('keeps records in their own namespace, apart from cached reads, the operations’ finish times, the operations the gateway started and the limits replicas count together', async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    await redis.quit();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !['idem:', 'cache:', 'finished:', 'started:', 'limits:'].some((namespace) => key.startsWith(`${prefix}${namespace}`)))).toEqual([]);
    expect(keys.some((key) => key.startsWith(`${prefix}idem:`))).toBe(true);
  });
});
