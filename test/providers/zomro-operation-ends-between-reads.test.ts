import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { SimulatorServer } from '../../src/simulator/server.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { wsClient } from '../helpers/ws.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id backups { id status protected } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status backup { status } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status backup { status } } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status finishedAt backup { status } } }';
const FOLLOW = 'subscription($id: ID!) { operationUpdated(id: $id) { status finishedAt backup { status } } }';
/** Zomro's backup list, which both a poll's status (no job at Zomro) and its `backup` are read from. */
const BACKUP_LIST = 'instances.fleio_bckps';

interface Told {
  status: string;
  finishedAt?: string | null;
  backup: { status: string } | null;
}

/**
 * Zomro has no job: a poll reads the instance's backups for its status, and reads them again for
 * `backup`. The work ending between the two reads (the first list's answer held while the test
 * ends it) showed a delete RUNNING with its backup gone, a create RUNNING with its backup
 * AVAILABLE: the schema promises DELETING until a delete ends, and a create's backup complete is
 * the create done.
 */
describe('zomro: an operation whose work ends between its status read and its backup read', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let server: SimulatorServer;
  let instances: Array<{ id: string; backups: Array<{ id: string; status: string; protected: boolean }> }>;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    server = harness.simulator('zomro').server;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: (typeof instances)[number] }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    instances = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  /** Polls `id` once, `end` run while the first backup list's answer is held. */
  async function pollEndingBetween(id: string, end: () => void): Promise<Told> {
    const hold = server.holdAnswersOf(BACKUP_LIST);
    const read = harness.gql<{ operation: Told }>(OPERATION, { id });
    await hold.arrived;
    end();
    hold.release();
    const answer = await read;
    expect(answer.errors).toBeUndefined();
    return answer.data!.operation;
  }

  it('a delete reads SUCCEEDED with no backup, not RUNNING with none', async () => {
    simulator.deleteDelayMs = 3_600_000;
    const backup = instances.flatMap((instance) => instance.backups).find((item) => item.status === 'AVAILABLE' && !item.protected)!;
    const deleted = await harness.gql<{ deleteBackup: { operation: Told & { id: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data!.deleteBackup.operation).toMatchObject({ status: 'RUNNING', backup: { status: 'DELETING' } });
    const read = await pollEndingBetween(deleted.data!.deleteBackup.operation.id, () => simulator.finishDeletes());
    expect(read).toEqual({ status: 'SUCCEEDED', finishedAt: expect.any(String), backup: null });
  });

  it('a create reads SUCCEEDED with its backup AVAILABLE, not RUNNING beside it', async () => {
    simulator.asyncDelayMs = 3_600_000;
    const created = await harness.gql<{ createBackup: { operation: Told & { id: string } } }>(CREATE, { input: { instanceId: instances[0]!.id, name: 'made-between-reads' } });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createBackup.operation).toMatchObject({ status: 'RUNNING', backup: { status: 'CREATING' } });
    const read = await pollEndingBetween(created.data!.createBackup.operation.id, () => simulator.finishBackups());
    expect(read).toEqual({ status: 'SUCCEEDED', finishedAt: expect.any(String), backup: { status: 'AVAILABLE' } });
  });
  it('a delete whose list left a row out stays RUNNING: the backup may be that row (a guard)', async () => {
    simulator.deleteDelayMs = 3_600_000;
    // The last deletable backup listed: the first one went in the first case.
    const backup = instances.flatMap((instance) => instance.backups).filter((item) => item.status === 'AVAILABLE' && !item.protected).at(-1)!;
    const deleted = await harness.gql<{ deleteBackup: { operation: Told & { id: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors, JSON.stringify(deleted.errors)).toBeUndefined();
    // A row the gateway cannot read (an id past any Zomro's) in the same instance's list.
    const { deletingUntil: _deleting, ...row } = [...simulator.backups.values()].find((item) => item.deletingUntil !== undefined)!;
    simulator.backups.set('planted', { ...row, id: 'u'.repeat(2000) });
    const hold = server.holdAnswersOf(BACKUP_LIST);
    const read = harness.gql<{ operation: Told }>(OPERATION, { id: deleted.data!.deleteBackup.operation.id });
    await hold.arrived;
    simulator.finishDeletes();
    hold.release();
    const answer = await read;
    simulator.backups.delete('planted');
    expect(answer.data?.operation).toEqual({ status: 'RUNNING', finishedAt: null, backup: null });
    expect(answer.errors?.length).toBeGreaterThan(0);
  });

  it('operationUpdated tells a create SUCCEEDED with its backup AVAILABLE, once, not RUNNING beside it', async () => {
    simulator.asyncDelayMs = 3_600_000;
    const created = await harness.gql<{ createBackup: { operation: Told & { id: string } } }>(CREATE, { input: { instanceId: instances[1]!.id, name: 'made-while-followed' } });
    expect(created.errors).toBeUndefined();
    const hold = server.holdAnswersOf(BACKUP_LIST);
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const told = new Promise<Told[]>((resolve, reject) => {
        const updates: Told[] = [];
        client.subscribe<{ operationUpdated: Told }>(
          { query: FOLLOW, variables: { id: created.data!.createBackup.operation.id } },
          {
            next: (value) => (value.errors ? reject(new Error(JSON.stringify(value.errors))) : updates.push(value.data!.operationUpdated)),
            error: (error: unknown) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
            complete: () => resolve(updates),
          },
        );
      });
      // The poll loop's list read is held while the backup is made; the subscriber's own read then finds it AVAILABLE.
      await hold.arrived;
      simulator.finishBackups();
      hold.release();
      expect(await told).toEqual([{ status: 'SUCCEEDED', finishedAt: expect.any(String), backup: { status: 'AVAILABLE' } }]);
    } finally {
      await client.dispose();
    }
  });

  it('two deletes in one answer, both ended between the reads, each read SUCCEEDED with no backup (each remembered, not only the last)', async () => {
    simulator.deleteDelayMs = 3_600_000;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: (typeof instances)[number] }> } }>(INSTANCES);
    const deletable = (instance: (typeof instances)[number]) => instance.backups.filter((item) => item.status === 'AVAILABLE' && !item.protected);
    const instance = listed.data!.instances.edges.map((edge) => edge.node).find((item) => deletable(item).length >= 2)!;
    const ids: string[] = [];
    for (const backup of deletable(instance).slice(0, 2)) {
      const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: backup.id } });
      expect(deleted.errors).toBeUndefined();
      ids.push(deleted.data!.deleteBackup.operation.id);
    }
    const hold = server.holdAnswersOf(BACKUP_LIST);
    const read = harness.gql<{ a: Told; b: Told }>(
      'query($a: ID!, $b: ID!) { a: operation(id: $a) { status backup { status } } b: operation(id: $b) { status backup { status } } }',
      { a: ids[0], b: ids[1] },
    );
    await hold.arrived;
    simulator.finishDeletes();
    hold.release();
    const answer = await read;
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ a: { status: 'SUCCEEDED', backup: null }, b: { status: 'SUCCEEDED', backup: null } });
  });
});
