import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { decodeStored, encodeStored } from '../../src/state/stored-json.js';
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
const FOREIGN: ReadonlyArray<readonly [string, string]> = [
  ['an object', encodeStored({})],
  ['a string', encodeStored('x')],
  ['null', encodeStored(null)],
  ['a list of numbers', encodeStored([1, 2])],
  ['records of no account', encodeStored([{ name: 5 }])],
  ['records of another account', encodeStored([{ providerId: 'another', nativeId: '1', name: 'theirs' }])],
];

describe.skipIf(!redis.url)(redisSuite('read cache entries of another shape in Redis', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let raw: Redis;
  let harness: Harness;
  let instanceId: string;

  const keyOf = async (kind: string): Promise<string> => {
    const keys = await raw.keys(`${prefix}cache:*:${kind}:*`);
    const key = keys.find((found) => !found.endsWith('\u0000gen'));
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
    await raw.set(await keyOf('backups'), value, 'PX', 60_000);
    const answer = await harness.gql(BACKUPS, { id: instanceId });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual(fresh.data);
  });

  it.each(FOREIGN)('reads the instance list from the provider past %s cached', async (_name, value) => {
    const fresh = await harness.gql(INSTANCES);
    expect(fresh.errors).toBeUndefined();
    await raw.set(await keyOf('instances'), value, 'PX', 60_000);
    const answer = await harness.gql(INSTANCES);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual(fresh.data);
  });

  /** The entry this version wrote, each record without `field`: what a replica whose records lacked it writes. */
  const withoutField = async (key: string, field: string): Promise<void> => {
    const text = await raw.get(key);
    const records = decodeStored<Array<Record<string, unknown>>>(text as string);
    expect(records.length).toBeGreaterThan(0);
    await raw.set(key, encodeStored(records.map(({ [field]: _dropped, ...rest }) => rest)), 'PX', 60_000);
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
