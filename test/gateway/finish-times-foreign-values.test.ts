import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { encodeStored } from '../../src/state/stored-json.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * An operation's first finish time in Redis (`finished:`) that this version
 * did not write (another writer's or version's): the operation still reads,
 * with a finish time of its own.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const CREATE = 'mutation($id: ID!, $name: String!) { createBackup(input: { instanceId: $id, name: $name }) { operation { id } } }';
const READ = 'query($id: ID!) { operation(id: $id) { status finishedAt } }';

describe.skipIf(!redis.url)(redisSuite('finish times of another shape in Redis', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let raw: Redis;
  let harness: Harness;
  let instanceIds: string[];

  beforeAll(async () => {
    raw = new Redis(redis.url as string);
    const store = new RedisStore(redis.url as string, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['zomro'], store, simulator: { asyncDelayMs: 50 } });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    instanceIds = list.data!.instances.edges.map((edge) => edge.node.id);
  });
  afterAll(async () => {
    await harness?.close();
    await raw?.quit();
  });

  const foreign: ReadonlyArray<readonly [string, string]> = [
    ['a string', encodeStored('yesterday')],
    ['an object', encodeStored({ at: 1 })],
    ['a number past any date', encodeStored(1e300)],
    ['null', encodeStored(null)],
  ];

  it.each(foreign.map(([name, value], index) => [name, value, index] as const))('reads a finished operation past %s stored as its finish time', async (_name, value, index) => {
    const before = new Set(await raw.keys(`${prefix}finished:*`));
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { id: instanceIds[index], name: `finished-${index}` });
    expect(created.errors).toBeUndefined();
    // The mark the create left: the one key that was not there before it.
    const marks = (await raw.keys(`${prefix}finished:*`)).filter((key) => !before.has(key));
    expect(marks).toHaveLength(1);
    await raw.set(marks[0] as string, value, 'PX', 60_000);
    const done = await eventually(
      () => harness.gql<{ operation: { status: string; finishedAt: string | null } }>(READ, { id: created.data!.createBackup.operation.id }),
      (answer) => answer.errors !== undefined || answer.data?.operation.status === 'SUCCEEDED',
    );
    expect(done.errors).toBeUndefined();
    // This read's own time (the foreign value is no time at all): not an invalid date, not 1970.
    expect(Date.parse(done.data!.operation.finishedAt as string)).toBeGreaterThan(Date.now() - 60_000);
  });
});
