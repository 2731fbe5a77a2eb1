import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { Node } from '../helpers/danube-creates.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * A read whose answer rests on the started-operations record (a Danube operation done at once, a
 * delete whose backup is gone) while Redis does not answer: refused STORE_UNAVAILABLE, as a cancel
 * is. The refusal told a read "nothing was sent; send it again", a cancel's words: the read had
 * nothing to send, and a client polling a delete took it for a refused action.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';
const CANCEL = 'mutation($id: ID!) { cancelOperation(input: { operationId: $id }) { operation { status } } }';

describe.skipIf(!redis.url)(redisSuite('a read resting on the started-operations record, Redis stalled', redis), () => {
  let proxy: RedisProxy;
  let harness: Harness;
  let doneAtOnce: string;

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    const store = new RedisStore(proxy.url, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: 4 }, store });
    const simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.finishAtOnce = true;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 100) { edges { node { id nativeId } } } }');
    const withDaily = new Set(simulator.definitions.filter((definition) => definition.name === 'daily').map((definition) => definition.hostname));
    const node = listed.data!.instances.edges.map((edge) => edge.node).find((candidate) => withDaily.has(candidate.nativeId))!;
    const created = await harness.gql<{ createBackup: { operation: { id: string; status: string } } }>(
      'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }',
      { input: { instanceId: node.id, name: 'at-once', definitionName: 'daily' } },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createBackup.operation.status).toBe('SUCCEEDED');
    doneAtOnce = created.data!.createBackup.operation.id;
  });
  afterAll(async () => {
    proxy?.flow();
    await harness?.close();
    await proxy?.close();
  });

  it('is STORE_UNAVAILABLE in a read\'s words (ask again), not a cancel\'s (nothing was sent); reads SUCCEEDED once Redis answers', async () => {
    proxy.stall();
    try {
      const read = await harness.gql(OPERATION, { id: doneAtOnce });
      const error = read.errors?.[0];
      expect(error?.extensions?.code).toBe('STORE_UNAVAILABLE');
      expect(error?.message).not.toMatch(/nothing was sent/);
      expect(error?.message).toMatch(/status/);
      expect(error?.message).toMatch(/ask again/);
      // A cancel keeps its own words: no cancel was sent to Danube.
      const cancel = await harness.gql(CANCEL, { id: doneAtOnce });
      expect(cancel.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
      expect(cancel.errors?.[0]?.message).toMatch(/nothing was sent/);
    } finally {
      proxy.flow();
    }
    const again = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: doneAtOnce });
    expect(again.errors).toBeUndefined();
    expect(again.data!.operation.status).toBe('SUCCEEDED');
  }, 30_000);
});
