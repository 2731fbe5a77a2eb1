import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, gqlAt, startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * A backup being deleted read DELETING only in the answer of the request that
 * deleted it: the dashboard's refresh a second later, or another replica, got
 * the provider's word (ZStack lists the backup Ready, AVAILABLE, until its
 * delete job ends), so the user saw it back as it was. ZStack's delete jobs
 * are held here (a long asyncDelayMs) until the test lets them end.
 */
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } backup { status } } }';
const INSTANCES = '{ instances(first: 100) { edges { node { id backups { id status } } } } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { id status } } backups(filter: { instanceId: $id }) { edges { node { id status } } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';
/** Longer than the test may run (vitest's 30 s): a stall held by the test is never ended by a command timeout. */
const STALL_OUTLASTED_MS = 60_000;

type Listed = Array<{ id: string; status: string }>;
type Read = { instance: { backups: Listed }; backups: { edges: Array<{ node: { id: string; status: string } }> } };
type Gql = Harness['gql'];

/** Each backup's status in the instance's list and in the `backups` connection, by id (the two must agree). */
async function statuses(gql: Gql, instanceId: string): Promise<Record<string, string>> {
  const answer = await gql<Read>(BACKUPS, { id: instanceId });
  expect(answer.errors).toBeUndefined();
  const listed = Object.fromEntries(answer.data!.instance.backups.map((backup) => [backup.id, backup.status]));
  expect(Object.fromEntries(answer.data!.backups.edges.map(({ node }) => [node.id, node.status]))).toEqual(listed);
  return listed;
}

async function vmsWithBackups(gql: Gql): Promise<Array<{ id: string; backups: Listed }>> {
  const answer = await gql<{ instances: { edges: Array<{ node: { id: string; backups: Listed } }> } }>(INSTANCES);
  expect(answer.errors).toBeUndefined();
  return answer.data!.instances.edges.map((edge) => edge.node).filter((node) => node.backups.length > 1 && node.backups.every((backup) => backup.status === 'AVAILABLE'));
}

async function deleteHeld(gql: Gql, backupId: string): Promise<string> {
  const deleted = await gql<{ deleteBackup: { operation: { id: string; status: string }; backup: { status: string } } }>(DELETE, { input: { backupId } });
  expect(deleted.errors).toBeUndefined();
  expect(deleted.data!.deleteBackup.operation.status).toBe('RUNNING');
  expect(deleted.data!.deleteBackup.backup.status).toBe('DELETING');
  return deleted.data!.deleteBackup.operation.id;
}

describe('a backup being deleted reads DELETING in later requests (one gateway, memory)', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let vms: Array<{ id: string; backups: Listed }>;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 600_000;
    vms = await vmsWithBackups(harness.gql);
  });
  afterAll(() => harness.close());

  it('reads DELETING in a second request, only that backup, until the provider ends the delete; then it is gone', async () => {
    const [vm, other] = vms;
    const [deleting, kept] = vm!.backups;
    await deleteHeld(harness.gql, deleting!.id);
    const later = await statuses(harness.gql, vm!.id);
    expect(later[deleting!.id]).toBe('DELETING');
    expect(later[kept!.id]).toBe('AVAILABLE');
    // The instance's protection, judged in a later request, counts it usable no more.
    const protection = await harness.gql<{ instance: { protection: { usableBackups: number } } }>('query($id: ID!) { instance(id: $id) { protection { usableBackups } } }', { id: vm!.id });
    expect(protection.data?.instance.protection.usableBackups).toBe(vm!.backups.length - 1);
    // Another instance's backups are not touched.
    expect(Object.values(await statuses(harness.gql, other!.id))).toEqual(other!.backups.map(() => 'AVAILABLE'));
    simulator.finishJobs();
    const after = await eventually(() => statuses(harness.gql, vm!.id), (read) => !(deleting!.id in read));
    expect(after[kept!.id]).toBe('AVAILABLE');
  });

  it("reads the provider's word again once the delete is seen FAILED", async () => {
    const vm = vms[2]!;
    const [deleting] = vm.backups;
    simulator.failNextJob = { code: 'SYS.1000', description: 'an internal error', details: '' };
    const operationId = await deleteHeld(harness.gql, deleting!.id);
    expect((await statuses(harness.gql, vm.id))[deleting!.id]).toBe('DELETING');
    simulator.finishJobs();
    await eventually(() => harness.gql<{ operation: { status: string } }>(OPERATION, { id: operationId }), (read) => read.data?.operation.status === 'FAILED');
    expect((await statuses(harness.gql, vm.id))[deleting!.id]).toBe('AVAILABLE');
  });
});

describe('the record is scoped by account: the same backup seen through another account reads as the provider lists it', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withAccountCopy('zstack', { id: 'zstack-copy' }) });
    (harness.simulator('zstack').simulator as ZstackSimulator).asyncDelayMs = 600_000;
  });
  afterAll(() => harness.close());

  it('a delete through zstack-test leaves zstack-copy (the same ZStack) AVAILABLE', async () => {
    const ofAccount = async (providerId: string) => {
      const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string; backups: Listed } }> } }>(
        'query($p: ID) { instances(first: 100, providerId: $p) { edges { node { id nativeId backups { id status } } } } }',
        { p: providerId },
      );
      expect(answer.errors).toBeUndefined();
      return answer.data!.instances.edges.map((edge) => edge.node).filter((node) => node.backups.length > 0);
    };
    const [vm] = await ofAccount('zstack-test');
    await deleteHeld(harness.gql, vm!.backups[0]!.id);
    expect((await statuses(harness.gql, vm!.id))[vm!.backups[0]!.id]).toBe('DELETING');
    const copy = (await ofAccount('zstack-copy')).find((node) => node.nativeId === vm!.nativeId)!;
    expect(copy.backups.map((listed) => listed.status)).toEqual(vm!.backups.map(() => 'AVAILABLE'));
    expect(Object.values(await statuses(harness.gql, copy.id))).toEqual(vm!.backups.map(() => 'AVAILABLE'));
  });
});

const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('a backup being deleted reads DELETING on every replica (Redis)', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let harness: Harness;
  let simulator: ZstackSimulator;
  let proxy: RedisProxy;
  let second: RunningGateway;
  let viaProxy: RunningGateway;
  let vms: Array<{ id: string; backups: Listed }>;

  /** The connection behind the proxy: its own, so that its command timeout can outlast the stall. */
  let proxied: Redis | undefined;

  const replica = async (url: string): Promise<RunningGateway> => {
    const store = new RedisStore(url, prefix);
    await store.ready();
    return startGatewayServer(harness.config, { logger: createLogger('silent'), store });
  };
  /**
   * A replica whose Redis commands give up after STALL_OUTLASTED_MS, not the gateway's 5 s: its
   * stalled read then stays unanswered for the whole stall, however slowly a loaded machine runs
   * the lists, so the lists meet one stall. With the 5 s timeout, lists that took longer than that
   * met the read's end and asked Redis again, a second stall and a second timeout.
   */
  const replicaWithLongCommandTimeout = async (url: string): Promise<RunningGateway> => {
    proxied = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true, commandTimeout: STALL_OUTLASTED_MS });
    proxied.on('error', () => {});
    const store = new RedisStore(proxied, prefix);
    await store.ready();
    return startGatewayServer(harness.config, { logger: createLogger('silent'), store });
  };

  beforeAll(async () => {
    const store = new RedisStore(redis.url as string, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['zstack'], store });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 600_000;
    proxy = await startRedisProxy(redis.url as string);
    second = await replica(redis.url as string);
    viaProxy = await replicaWithLongCommandTimeout(proxy.url);
    vms = await vmsWithBackups(harness.gql);
  });
  afterAll(async () => {
    proxy?.mend();
    await Promise.all([second?.close(), viaProxy?.close()]);
    proxied?.disconnect();
    await proxy?.close();
    await harness?.close();
  });

  it('a second gateway over the same Redis reads DELETING, and the backup gone once the provider ends the delete', async () => {
    const vm = vms[0]!;
    const [deleting, kept] = vm.backups;
    await deleteHeld(harness.gql, deleting!.id);
    const onSecond = await statuses(gqlAt(second.graphqlUrl), vm.id);
    expect(onSecond[deleting!.id]).toBe('DELETING');
    expect(onSecond[kept!.id]).toBe('AVAILABLE');
    simulator.finishJobs();
    await eventually(() => statuses(gqlAt(second.graphqlUrl), vm.id), (read) => !(deleting!.id in read));
  });

  it('with Redis not answering, lists answer with the records last read; only the first waits for Redis', async () => {
    const timeouts = async (): Promise<number> => {
      const text = await (await fetch(`${viaProxy.adminUrl}/metrics`)).text();
      const row = text.split('\n').find((line) => line.startsWith('backup_graph_store_failures_total{') && line.includes('store="deletes_in_flight"') && line.includes('failure="timeout"'));
      return row ? Number(row.split(' ').at(-1)) : 0;
    };
    const vm = vms[1]!;
    const [deleting] = vm.backups;
    await deleteHeld(harness.gql, deleting!.id);
    expect((await statuses(gqlAt(viaProxy.graphqlUrl), vm.id))[deleting!.id]).toBe('DELETING');
    const before = await timeouts();
    proxy.stall();
    try {
      // One stall, one timeout: the first list's read. Each list waited its 250 ms for Redis (5
      // timeouts counted) and then showed the provider's word (AVAILABLE).
      for (let list = 0; list < 5; list++) expect((await statuses(gqlAt(viaProxy.graphqlUrl), vm.id))[deleting!.id]).toBe('DELETING');
      expect((await timeouts()) - before).toBe(1);
    } finally {
      proxy.flow();
    }
  });
});
