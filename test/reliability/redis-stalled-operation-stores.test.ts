import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESDC_CE_CREATE_DETAIL, type DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { startCreate, type Node } from '../helpers/danube-creates.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * What the gateway keeps of the operations it started: each operation's first finish time
 * (read on every poll), a Danube create's findings, a Zomro restore's outcome and the record of
 * its start that a cancel asks, and a read of a Danube task. Their store
 * calls gave up on a stalled Redis without a word or a count: backup_graph_store_failures_total
 * and the store-failure lines said nothing while every poll lost what those stores keep, and a
 * finished operation whose `startedHere` look failed left the read cache stale, unseen.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const OPERATION = 'query($id: ID!) { operation(id: $id) { status finishedAt } }';
const CANCEL = 'mutation($id: ID!) { cancelOperation(input: { operationId: $id }) { operation { status } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const LIST = '{ instances(first: 100) { edges { node { id nativeId provider { id } backups { id status } } } } }';

interface Listed {
  instances: { edges: Array<{ node: Node & { provider: { id: string }; backups: Array<{ id: string; status: string }> } }> };
}

describe.skipIf(!redis.url)(redisSuite('a stalled Redis under operation polls is counted and logged', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let harness: Harness;
  let danubeCreate: string;
  let zomroCreate: string;
  let zomroRestore: string;

  const storeFailures = async (user: string): Promise<number> => {
    const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    const rows = text.split('\n').filter((row) => row.startsWith('backup_graph_store_failures_total{') && row.includes(`store="${user}"`));
    return rows.reduce((sum, row) => sum + Number(row.split(' ').at(-1)), 0);
  };
  const poll = async (id: string): Promise<{ status: string; finishedAt: string | null }> => {
    const answer = await harness.gql<{ operation: { status: string; finishedAt: string | null } }>(OPERATION, { id });
    expect(answer.errors).toBeUndefined();
    return answer.data!.operation;
  };

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    const store = new RedisStore(proxy.url, prefix);
    await store.ready();
    // A read cache, which an operation seen finished empties only when startedHere says so.
    harness = await startHarness({ kinds: ['zomro', 'danube'], store, simulator: { asyncDelayMs: 60_000 }, configure: withProviderSettings({ cacheTtlMs: 30_000 }) });
    const danube = harness.simulator('danube').simulator as DanubeSimulator;
    danube.createDetail = ESDC_CE_CREATE_DETAIL;
    const zomro = harness.simulator('zomro').simulator as ZomroSimulator;
    zomro.asyncDelayMs = 60_000;
    const listed = await harness.gql<Listed>(LIST);
    expect(listed.errors).toBeUndefined();
    const nodes = listed.data!.instances.edges.map((edge) => edge.node);
    // Started while Redis answers: each marked in the store, as a mutation marks them.
    const created = await startCreate(harness.gql, nodes.find((node) => node.provider.id.startsWith('danube'))!, 'stalled-store');
    danubeCreate = created.id;
    // Finished at Danube, so a poll reads it SUCCEEDED and asks the finish times and startedHere.
    danube.tasks.get(created.taskId)!.doneAt = 0;
    const backupId = nodes.find((node) => node.provider.id.startsWith('zomro') && node.backups.some((backup) => backup.status === 'AVAILABLE'))!.backups.find((backup) => backup.status === 'AVAILABLE')!.id;
    const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId, confirm: true } });
    expect(restored.errors).toBeUndefined();
    zomroRestore = restored.data!.restoreBackup.operation.id;
    // Finished at Zomro, read from its backup list alone: a poll reads it SUCCEEDED whatever the store answers.
    const zomroVm = nodes.find((node) => node.provider.id.startsWith('zomro'))!;
    const zomroCreated = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: zomroVm.id, name: 'stalled-store' } });
    expect(zomroCreated.errors).toBeUndefined();
    zomroCreate = zomroCreated.data!.createBackup.operation.id;
    zomro.finishBackups();
  });
  afterAll(async () => {
    proxy?.flow();
    await harness?.close();
    await proxy?.close();
  });

  it('counts and logs the started record a Danube poll gives up on: STORE_UNAVAILABLE, the status resting on the record, asked before the task or its create findings', async () => {
    expect(await storeFailures('create_findings')).toBe(0);
    expect(await storeFailures('started_operations')).toBe(0);
    proxy.stall();
    try {
      // A status read from a Danube task is told only where the gateway recorded starting it.
      expect(errorCodes(await harness.gql(OPERATION, { id: danubeCreate }))).toEqual(['STORE_UNAVAILABLE']);
      expect(await storeFailures('started_operations')).toBeGreaterThan(0);
      // The record is read before any provider call (a forged id costs no poll), so the poll
      // never reached the create findings it would have asked after the task.
      expect(await storeFailures('create_findings')).toBe(0);
    } finally {
      proxy.flow();
    }
    // The line names the case an operator just saw: a read of a Danube task, no mutation at the time
    // (it named only "done at once" and a delete's, and spoke of an operation started then).
    const started = harness.logs.find((line) => line.includes('started operations store failed'));
    expect(started).toContain('a read of an operation whose status rests on its record (a ZStack or Danube operation, a delete whose backup is gone) or a cancel asking it now is STORE_UNAVAILABLE');
  }, 30_000);

  it('counts and logs the finish times and startedHere a poll gives up on', async () => {
    expect(await storeFailures('finish_times')).toBe(0);
    proxy.stall();
    try {
      const operation = await poll(zomroCreate);
      expect(operation.status).toBe('SUCCEEDED');
      expect(operation.finishedAt).not.toBeNull();
      // The finish time's read, and startedHere's: two or more.
      expect(await storeFailures('finish_times')).toBeGreaterThanOrEqual(2);
    } finally {
      proxy.flow();
    }
    const lines = harness.logs.join('\n');
    expect(lines).toContain("finish times store failed; an operation's finishedAt is this read's time");
    expect(lines).toContain('finish times store failed; an operation seen finished did not empty the read cache');
  }, 30_000);

  it('counts and logs the restore outcomes a Zomro poll gives up on', async () => {
    expect(await storeFailures('restore_outcomes')).toBe(0);
    proxy.stall();
    try {
      expect((await poll(zomroRestore)).status).toBe('RUNNING');
      expect(await storeFailures('restore_outcomes')).toBeGreaterThan(0);
    } finally {
      proxy.flow();
    }
    expect(harness.logs.join('\n')).toContain('restore outcomes store failed');
  }, 30_000);

  it('counts and logs the started record a cancel gives up on: STORE_UNAVAILABLE, nothing sent', async () => {
    const failedBefore = await storeFailures('started_operations');
    const cancels = () => harness.simulator('danube').server.count('PUT /task/:x/cancel');
    const before = cancels();
    proxy.stall();
    try {
      const answer = await harness.gql(CANCEL, { id: danubeCreate });
      expect(errorCodes(answer)).toEqual(['STORE_UNAVAILABLE']);
      expect(await storeFailures('started_operations')).toBeGreaterThan(failedBefore);
    } finally {
      proxy.flow();
    }
    expect(cancels() - before).toBe(0);
    expect(harness.logs.join('\n')).toContain('started operations store failed');
  }, 30_000);
});
