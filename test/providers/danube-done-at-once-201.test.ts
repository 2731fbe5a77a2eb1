import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';

interface Node {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; name: string }>;
}

const LIST = '{ instances(first: 100) { edges { node { id nativeId backups { id name } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } backup { name } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

/**
 * Danube's envelope says whether a write is done: the API docs' definition create example answers
 * `"status": 201` with `"status": "SUCCESS"`, beside "200 OK – SUCCESS" and "201 Created – PENDING".
 * A write done at once and answered 201 SUCCESS was read as a task still running: its polls asked
 * for a task Danube never kept (404), and a restore Danube had done was reported FAILED.
 */
describe('danube: a write done at once answered 201 SUCCESS', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    expect(answer.errors).toBeUndefined();
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
    simulator.finishAtOnce = true;
    simulator.successHttpStatus = 201;
  });

  afterAll(() => harness.close());

  const followed = async (id: string) => (await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id })).data?.operation;

  it('reads a restore as SUCCEEDED, at once and when followed (it read RUNNING, then FAILED)', async () => {
    const stopped = nodes.find((node) => node.nativeId === 'web05.example.com')!;
    const answer = await harness.gql<{ restoreBackup: { operation: { id: string; status: string } } }>(RESTORE, { input: { backupId: stopped.backups[1]!.id, confirm: true, force: false } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.restoreBackup.operation.status).toBe('SUCCEEDED');
    expect(await followed(answer.data!.restoreBackup.operation.id)).toEqual({ status: 'SUCCEEDED', error: null });
  });

  it('names the backup of a create from its detail, SUCCEEDED at once', async () => {
    const vm = nodes.find((node) => node.nativeId === 'web03.example.com')!;
    const answer = await harness.gql<{ createBackup: { operation: { id: string; status: string }; backup: { name: string } | null } }>(CREATE, { input: { instanceId: vm.id, name: 'at-once-201', definitionName: 'daily' } });
    expect(answer.errors).toBeUndefined();
    const made = simulator.backups.filter((backup) => backup.note === 'at-once-201');
    expect(made).toHaveLength(1);
    expect(answer.data?.createBackup.operation.status).toBe('SUCCEEDED');
    expect(answer.data?.createBackup.backup).toEqual({ name: made[0]!.name });
    expect(await followed(answer.data!.createBackup.operation.id)).toEqual({ status: 'SUCCEEDED', error: null });
  });

  it("reads a finished task whose status answers 201 SUCCESS (esdc-ce: the task's own success code) as SUCCEEDED (it read RUNNING for ever)", async () => {
    const delay = simulator.asyncDelayMs;
    simulator.finishAtOnce = false;
    simulator.asyncDelayMs = 60_000;
    try {
      const stopped = nodes.find((node) => node.nativeId === 'web05.example.com')!;
      const restore = await harness.gql<{ restoreBackup: { operation: { id: string; status: string } } }>(RESTORE, { input: { backupId: stopped.backups[2]!.id, confirm: true, force: false } });
      expect(restore.errors).toBeUndefined();
      expect(restore.data?.restoreBackup.operation.status).toBe('RUNNING');
      expect(await followed(restore.data!.restoreBackup.operation.id)).toEqual({ status: 'RUNNING', error: null });
      for (const task of simulator.tasks.values()) task.doneAt = 0;
      expect(await followed(restore.data!.restoreBackup.operation.id)).toEqual({ status: 'SUCCEEDED', error: null });
    } finally {
      for (const task of simulator.tasks.values()) task.doneAt = 0;
      simulator.finishAtOnce = true;
      simulator.asyncDelayMs = delay;
    }
  });

  it('reads a delete as SUCCEEDED at once', async () => {
    const vm = nodes.find((node) => node.nativeId === 'web04.example.com')!;
    const answer = await harness.gql<{ deleteBackup: { operation: { id: string; status: string } } }>(DELETE, { input: { backupId: vm.backups[2]!.id } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.deleteBackup.operation.status).toBe('SUCCEEDED');
    expect(await followed(answer.data!.deleteBackup.operation.id)).toEqual({ status: 'SUCCEEDED', error: null });
  });
});
