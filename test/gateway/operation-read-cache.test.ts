import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

// What reading an operation does to the shared read cache (cache-invalidation.ts, afterOperation):
// a finished one this gateway started drops what it changed (its instance; a sync's, its account),
// and only that; a running one, or one the gateway did not start, drops nothing.

const INSTANCES = 'query($providerId: ID) { instances(providerId: $providerId) { edges { node { id } } } }';
const TWO_INSTANCES = 'query($a: ID!, $b: ID!) { a: instance(id: $a) { backups { name status } } b: instance(id: $b) { backups { name status } } }';
const ONE_INSTANCE = 'query($id: ID!) { instance(id: $id) { backups { name status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const SYNC = 'mutation($input: SyncBackupsInput!) { syncBackups(input: $input) { operation { id status } } }';
const DASHBOARD = '{ instances { edges { node { backups { id } } } } }';

interface Backups {
  backups: Array<{ name: string; status: string }>;
}

describe('an operation read and the read cache', () => {
  let harness: Harness;
  beforeAll(async () => {
    // Operations run until the test ends them (finishBackups, finishJobs): no read finds one done early.
    harness = await startHarness({ kinds: ['zomro', 'zstack'], simulator: { asyncDelayMs: 600_000 }, configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
  });
  afterAll(() => harness.close());

  const instanceIds = async (providerId: string): Promise<string[]> => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES, { providerId });
    expect(list.errors).toBeUndefined();
    return list.data!.instances.edges.map((edge) => edge.node.id);
  };
  const statusOf = async (id: string): Promise<string | undefined> => (await harness.gql<{ operation: { status: string } | null }>(OPERATION, { id })).data?.operation?.status;
  const zomroBackupReads = (): number => harness.simulator('zomro').server.count('instances.fleio_bckps');

  it('a create read RUNNING drops nothing; read SUCCEEDED, it drops its own instance and no other', async () => {
    const [, a, b] = await instanceIds('zomro-test');
    const created = await harness.gql<{ createBackup: { operation: { id: string; status: string } } }>(CREATE, { input: { instanceId: a, name: 'held-running' } });
    expect(created.errors).toBeUndefined();
    const operation = created.data!.createBackup.operation.id;
    expect((await harness.gql(TWO_INSTANCES, { a, b })).errors).toBeUndefined();
    expect(await statusOf(operation)).toBe('RUNNING');
    harness.resetUpstreamLogs();
    const during = await harness.gql<{ a: Backups; b: Backups }>(TWO_INSTANCES, { a, b });
    expect(during.data?.a.backups.find((backup) => backup.name === 'held-running')?.status).toBe('CREATING');
    // The running operation's read left both instances cached.
    expect(zomroBackupReads()).toBe(0);
    (harness.simulator('zomro').simulator as ZomroSimulator).finishBackups();
    await eventually(
      () => statusOf(operation),
      (status) => status === 'SUCCEEDED',
    );
    harness.resetUpstreamLogs();
    const after = await harness.gql<{ a: Backups; b: Backups }>(TWO_INSTANCES, { a, b });
    expect(after.data?.a.backups.find((backup) => backup.name === 'held-running')?.status).toBe('AVAILABLE');
    // Read afresh: the created backup's instance alone.
    expect(zomroBackupReads()).toBe(1);
  });

  it('a create read FAILED drops its instance: the backup it rolled back is no longer shown CREATING', async () => {
    const [, , target] = await instanceIds('zstack-test');
    const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.failNextJob = { code: 'SYS.1006', description: 'the backup could not be made', details: 'no space left on the backup storage' };
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: target, name: 'rolled-back' } });
    expect(created.errors).toBeUndefined();
    const operation = created.data!.createBackup.operation.id;
    const during = await harness.gql<{ instance: Backups }>(ONE_INSTANCE, { id: target });
    expect(during.data?.instance.backups.find((backup) => backup.name === 'rolled-back')?.status).toBe('CREATING');
    simulator.finishJobs();
    await eventually(
      () => statusOf(operation),
      (status) => status === 'FAILED',
    );
    const after = await harness.gql<{ instance: Backups }>(ONE_INSTANCE, { id: target });
    expect(after.errors).toBeUndefined();
    expect(after.data?.instance.backups.map((backup) => backup.name)).not.toContain('rolled-back');
  });

  it('a sync read SUCCEEDED drops every cached list of its account and nothing of another; read RUNNING, nothing', async () => {
    const synced = await harness.gql<{ syncBackups: { operation: { id: string; status: string } } }>(SYNC, { input: { providerId: 'zstack-test' } });
    expect(synced.errors).toBeUndefined();
    const operation = synced.data!.syncBackups.operation.id;
    expect((await harness.gql(DASHBOARD)).errors).toBeUndefined();
    expect(await statusOf(operation)).toBe('RUNNING');
    harness.resetUpstreamLogs();
    expect((await harness.gql(DASHBOARD)).errors).toBeUndefined();
    expect(harness.upstreamCount()).toBe(0);
    (harness.simulator('zstack').simulator as ZstackSimulator).finishJobs();
    await eventually(
      () => statusOf(operation),
      (status) => status === 'SUCCEEDED',
    );
    harness.resetUpstreamLogs();
    expect((await harness.gql(DASHBOARD)).errors).toBeUndefined();
    // A sync may have added backups under any instance of its account: its lists are read again.
    expect(harness.simulator('zstack').server.count('GET /zstack/v1/volume-backups')).toBeGreaterThan(0);
    expect(harness.simulator('zomro').server.count()).toBe(0);
  });

  it('a finished create this gateway did not start (its id written with another start time) drops nothing', async () => {
    const [, , , c] = await instanceIds('zomro-test');
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: c, name: 'made-here' } });
    expect(created.errors).toBeUndefined();
    const started = created.data!.createBackup.operation.id;
    (harness.simulator('zomro').simulator as ZomroSimulator).finishBackups();
    await eventually(
      () => statusOf(started),
      (status) => status === 'SUCCEEDED',
    );
    const ref = decodeOperationId(started);
    const notStarted = operationId({ ...ref, startedAt: new Date(ref.startedAt.getTime() - 1_000) });
    expect((await harness.gql(ONE_INSTANCE, { id: c })).errors).toBeUndefined();
    expect(await statusOf(notStarted)).toBe('SUCCEEDED');
    harness.resetUpstreamLogs();
    const after = await harness.gql<{ instance: Backups }>(ONE_INSTANCE, { id: c });
    expect(after.data?.instance.backups.find((backup) => backup.name === 'made-here')?.status).toBe('AVAILABLE');
    expect(zomroBackupReads()).toBe(0);
  });
});

describe('an operation read with no read cache', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], simulator: { asyncDelayMs: 600_000 } });
  });
  afterAll(() => harness.close());

  it('a sync read SUCCEEDED answers so', async () => {
    const synced = await harness.gql<{ syncBackups: { operation: { id: string } } }>(SYNC, { input: { providerId: 'zstack-test' } });
    expect(synced.errors).toBeUndefined();
    (harness.simulator('zstack').simulator as ZstackSimulator).finishJobs();
    const read = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: synced.data!.syncBackups.operation.id });
    expect(read.errors).toBeUndefined();
    expect(read.data?.operation.status).toBe('SUCCEEDED');
  });
});

describe('a sync and the read cache, the instance list failing', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], simulator: { asyncDelayMs: 600_000 }, configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
  });
  afterAll(() => harness.close());

  it("a sync whose account's instance list fails answers all the same", async () => {
    // A cold cache: the sync's invalidation must list the account's instances upstream, and that fails.
    const zstack = harness.simulator('zstack');
    await zstack.server.setFault({ mode: 'http-500', onlyLabel: 'GET /zstack/v1/vm-instances' });
    try {
      const synced = await harness.gql<{ syncBackups: { operation: { id: string; status: string } } }>(SYNC, { input: { providerId: 'zstack-test' } });
      expect(synced.errors).toBeUndefined();
      expect(synced.data?.syncBackups.operation.status).toBe('RUNNING');
      expect(zstack.server.count('GET /zstack/v1/vm-instances')).toBeGreaterThan(0);
    } finally {
      await zstack.server.clearFault();
    }
    expect(harness.logs.some((line) => line.includes('could not list instances to drop their cached reads') && line.includes('"provider":"zstack-test"'))).toBe(true);
  });
});
