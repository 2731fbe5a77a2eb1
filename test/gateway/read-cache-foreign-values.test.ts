import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { encodeStored } from '../../src/state/stored-json.js';
import { cachedListAt, replaceCachedList } from '../helpers/cached-entries.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * Entries in the shared read cache that this version did not write (a
 * replica of another version, a truncated write, any other writer): the
 * gateway answers from the provider, never from them.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { name } } }';
const INSTANCES = '{ instances { edges { node { id name } } } }';
/** Lists of another shape, each put in an entry under its generation (served, were its shape this version's). */
const FOREIGN: ReadonlyArray<readonly [string, unknown]> = [
  ['an object', {}],
  ['a string', 'x'],
  ['null', null],
  ['a list of numbers', [1, 2]],
  ['records of no account', [{ name: 5 }]],
  ['records of another account', [{ providerId: 'another', nativeId: '1', name: 'theirs' }]],
];
/** Whole entries of another shape: not `{ generation, list }` (a bare list is what the builds before kept). */
const FOREIGN_ENTRIES: ReadonlyArray<readonly [string, string]> = [
  ['a bare list', encodeStored([])],
  ['a string', encodeStored('x')],
  ['a generation of another shape', encodeStored({ generation: 42, list: [] })],
];

describe.skipIf(!redis.url)(redisSuite('read cache entries of another shape in Redis', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let raw: Redis;
  let harness: Harness;
  let instanceId: string;

  const keyOf = async (kind: string): Promise<string> => {
    const keys = await raw.keys(`${prefix}cache:*:${kind}:*`);
    const key = keys[0];
    if (!key) throw new Error(`no cached ${kind} entry under ${prefix}`);
    return key;
  };

  beforeAll(async () => {
    raw = new Redis(redis.url as string);
    const store = new RedisStore(redis.url as string, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['zomro'], store, configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES);
    instanceId = list.data!.instances.edges[3]!.node.id;
  });
  afterAll(async () => {
    await harness?.close();
    await raw?.quit();
  });

  it.each(FOREIGN)("reads an instance's backups from the provider past %s cached", async (_name, value) => {
    const fresh = await harness.gql(BACKUPS, { id: instanceId });
    expect(fresh.errors).toBeUndefined();
    await replaceCachedList(raw, await keyOf('backups'), value);
    const answer = await harness.gql(BACKUPS, { id: instanceId });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual(fresh.data);
  });

  it.each(FOREIGN)('reads the instance list from the provider past %s cached', async (_name, value) => {
    const fresh = await harness.gql(INSTANCES);
    expect(fresh.errors).toBeUndefined();
    await replaceCachedList(raw, await keyOf('instances'), value);
    const answer = await harness.gql(INSTANCES);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual(fresh.data);
  });

  it.each(FOREIGN_ENTRIES)("reads an instance's backups from the provider past %s cached as the entry", async (_name, value) => {
    const fresh = await harness.gql(BACKUPS, { id: instanceId });
    expect(fresh.errors).toBeUndefined();
    await raw.set(await keyOf('backups'), value, 'PX', 60_000);
    const answer = await harness.gql(BACKUPS, { id: instanceId });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual(fresh.data);
  });

  /** The entry this version wrote, each record without `field`: what a replica whose records lacked it writes. */
  const withoutField = async (key: string, field: string): Promise<void> => {
    const records = await cachedListAt<Record<string, unknown>>(raw, key);
    expect(records.length).toBeGreaterThan(0);
    await replaceCachedList(raw, key, records.map(({ [field]: _dropped, ...rest }) => rest));
  };

  it.each(['keyExtra', 'status', 'name'])("reads an instance's backups from the provider past cached backups without %s (another version's)", async (field) => {
    const query = 'query($id: ID!) { instance(id: $id) { backups { id name status } } }';
    const fresh = await harness.gql(query, { id: instanceId });
    expect(fresh.errors).toBeUndefined();
    await withoutField(await keyOf('backups'), field);
    const answer = await harness.gql(query, { id: instanceId });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual(fresh.data);
  });

  it('reads the instance list from the provider past cached instances without names (another version\'s)', async () => {
    const fresh = await harness.gql(INSTANCES);
    expect(fresh.errors).toBeUndefined();
    await withoutField(await keyOf('instances'), 'name');
    const answer = await harness.gql(INSTANCES);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual(fresh.data);
  });
});
