import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { CreateOrder } from '../../src/state/create-order.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { gqlAt, startHarness, type Harness } from '../helpers/harness.js';
import { CREATE as ONAPP_CREATE, backupIdsOf, finishedBackup, highestBackupId, instanceIds, type Created as OnappCreated } from '../helpers/onapp-creates.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * A connection to Redis lost between a command and its answer: ioredis sends
 * the command again once it has reconnected. A claim (SET NX) that Redis had
 * already run then answers "taken", by the request's own claim. Two replicas
 * share the records; the first reaches Redis through a proxy that loses the
 * claim's answer.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const CREATES = 'instances.fleio_bckps.edit';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }';
/** An idempotency claim as RedisStore sends it: SET <prefix>idem:<sha-256> ... NX. */
const IDEMPOTENCY_CLAIM = /idem:[0-9a-f]{64}[\s\S]*\r\nNX\r\n/;
type Created = { createBackup: { operation: { id: string } } };

describe.skipIf(!redis.url)(redisSuite('a claim whose answer Redis sent on a connection that was lost', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let harness: Harness;
  let other: RunningGateway;
  let instanceId: string;

  const onOther: Harness['gql'] = (query, variables, options) => gqlAt(other.graphqlUrl)(query, variables, options);

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    const behindProxy = new RedisStore(proxy.url, prefix);
    const direct = new RedisStore(redis.url as string, prefix);
    await Promise.all([behindProxy.ready(), direct.ready()]);
    harness = await startHarness({ kinds: ['zomro'], store: behindProxy });
    other = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: direct });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    instanceId = list.data!.instances.edges[2]!.node.id;
  });
  afterAll(async () => {
    await other?.close();
    await harness?.close();
    await proxy?.close();
  });

  it('acts once, as the holder of its own claim, and a retry on the other replica gets its answer', async () => {
    const simulator = harness.simulator('zomro').server;
    simulator.resetLog();
    const input = { instanceId, name: 'claim-answer-lost', idempotencyKey: randomUUID() };
    const dropped = proxy.dropReplyTo(IDEMPOTENCY_CLAIM);
    const first = await harness.gql<Created>(CREATE, { input });
    await dropped;
    expect(first.errors).toBeUndefined();
    expect(simulator.count(CREATES)).toBe(1);
    const retry = await onOther<Created>(CREATE, { input });
    expect(retry.errors).toBeUndefined();
    expect(retry.data?.createBackup.operation.id).toBe(first.data?.createBackup.operation.id);
    expect(simulator.count(CREATES)).toBe(1);
  });
});

/** The release of a refused request's claim as RedisStore sends it: DEL, or a script's EVAL, of <prefix>idem:<sha-256>. */
const CLAIM_RELEASE = /\r\n(del|eval)\r\n[\s\S]*idem:[0-9a-f]{64}\r\n/i;

describe.skipIf(!redis.url)(redisSuite('the release of a refused claim, its answer lost with the connection', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let harness: Harness;
  let other: RunningGateway;
  let instanceId: string;

  const onOther: Harness['gql'] = (query, variables, options) => gqlAt(other.graphqlUrl)(query, variables, options);

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    const behindProxy = new RedisStore(proxy.url, prefix);
    const direct = new RedisStore(redis.url as string, prefix);
    await Promise.all([behindProxy.ready(), direct.ready()]);
    harness = await startHarness({ kinds: ['zomro'], store: behindProxy });
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

  it('sent again once reconnected, it does not delete the answer the retry recorded meanwhile: a later retry replays it', async () => {
    const simulator = harness.simulator('zomro').server;
    const name = 'release-answer-lost';
    // A backup of that name already exists: Zomro refuses the first create (nothing done), and the key is released.
    const existing = await onOther<Created>(CREATE, { input: { instanceId, name } });
    expect(existing.errors).toBeUndefined();
    simulator.resetLog();
    const input = { instanceId, name, idempotencyKey: randomUUID() };
    const dropped = proxy.dropReplyTo(CLAIM_RELEASE);
    const refused = harness.gql<Created>(CREATE, { input });
    await dropped;
    // The release ran in Redis, its answer lost; the replica cannot reconnect until the retry has acted.
    proxy.cut();
    try {
      expect((await refused).errors?.[0]?.extensions?.code).toBe('CONFLICT');
      const listed = await onOther<{ instance: { backups: Array<{ id: string; name: string }> } }>('query($id: ID!) { instance(id: $id) { backups { id name } } }', { id: instanceId });
      const backupId = listed.data!.instance.backups.find((backup) => backup.name === name)!.id;
      const deleted = await onOther(DELETE, { input: { backupId } });
      expect(deleted.errors).toBeUndefined();
      const retry = await onOther<Created>(CREATE, { input });
      expect(retry.errors).toBeUndefined();
      expect(simulator.count(CREATES)).toBe(2);
      proxy.mend();
      // The replica reconnects and first sends again what it had not heard answered: a read answered after it is answered after that.
      await harness.gateway.services.store.get('reconnected');
      const again = await onOther<Created>(CREATE, { input });
      expect(again.errors).toBeUndefined();
      expect(again.data?.createBackup.operation.id).toBe(retry.data?.createBackup.operation.id);
      expect(simulator.count(CREATES)).toBe(2);
    } finally {
      proxy.mend();
    }
  });
});

/** An OnApp create's first place as CreateOrder takes it: SET <prefix>create-order:<account>:<disk>:<highest>:1 ... NX. */
const FIRST_PLACE = /create-order:[^\r]*:1\r\n[\s\S]*\r\nNX\r\n/;

describe.skipIf(!redis.url)(redisSuite('an OnApp create whose place was taken on a connection that was lost', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let harness: Harness;

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    const behindProxy = new RedisStore(proxy.url, prefix);
    await behindProxy.ready();
    harness = await startHarness({ kinds: ['onapp'], store: behindProxy });
  });
  afterAll(async () => {
    await harness?.close();
    await proxy?.close();
  });

  it('keeps the place it took and finds its backup, not one backup more', async () => {
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    const vm = (await instanceIds(harness))[1]!;
    const before = highestBackupId(simulator);
    const dropped = proxy.dropReplyTo(FIRST_PLACE);
    const created = await harness.gql<OnappCreated>(ONAPP_CREATE, { input: { instanceId: vm.id, name: 'place-answer-lost' } });
    await dropped;
    expect(created.errors).toBeUndefined();
    const operation = await finishedBackup(harness.gql.bind(harness), created.data!.createBackup!.operation.id);
    expect(operation.status).toBe('SUCCEEDED');
    expect([operation.backup?.nativeId]).toEqual(backupIdsOf(simulator, vm.nativeId, before));
  });
});

describe.skipIf(!redis.url)(redisSuite('an OnApp place given up, the answer to its delete lost with the connection', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let behindProxy: RedisStore;
  let direct: RedisStore;

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    behindProxy = new RedisStore(proxy.url, prefix);
    direct = new RedisStore(redis.url as string, prefix);
    await Promise.all([behindProxy.ready(), direct.ready()]);
  });
  afterAll(async () => {
    proxy?.mend();
    await Promise.all([behindProxy?.close(), direct?.close()]);
    await proxy?.close();
  });

  it('sent again once reconnected, it leaves the place another create took meanwhile', async () => {
    const series = `onapp-test:7:${randomUUID()}`;
    const [failing, other] = [new CreateOrder(behindProxy), new CreateOrder(direct)];
    expect(await failing.take(series, 60_000)).toBe(1);
    // The failed create gives its place up; no later place is held, so the place is deleted.
    const dropped = proxy.dropReplyTo(new RegExp(`\\r\\neval\\r\\n[\\s\\S]*${series}:1\\r\\n`, 'i'));
    const givenUp = failing.giveUp(series, 1);
    await dropped;
    proxy.cut();
    await givenUp;
    // Another create takes the place, free again.
    expect(await other.take(series, 60_000)).toBe(1);
    proxy.mend();
    // The replica reconnects and first sends again what it had not heard answered.
    await behindProxy.get('reconnected');
    // The place is still that create's: the next one takes the next.
    expect(await other.take(series, 60_000)).toBe(2);
  });
});
