import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id status backups { id status protected } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status backup { status } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status backup { status } } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status finishedAt backup { status } } }';

interface Told {
  status: string;
  finishedAt?: string | null;
  backup: { status: string } | null;
}
type Instances = Array<{ id: string; status: string; backups: Array<{ id: string; status: string; protected: boolean }> }>;

async function instancesOf(harness: Harness): Promise<Instances> {
  const answer = await harness.gql<{ instances: { edges: Array<{ node: Instances[number] }> } }>(INSTANCES);
  expect(answer.errors).toBeUndefined();
  return answer.data!.instances.edges.map((edge) => edge.node);
}

/** Polls `id` once, `end` run while the answer of the first request labelled `label` (the status's read) is held. */
async function pollEndingBetween(harness: Harness, kind: 'onapp' | 'danube', label: string, id: string, end: () => void): Promise<Told> {
  const hold = harness.simulator(kind).server.holdAnswersOf(label);
  const read = harness.gql<{ operation: Told }>(OPERATION, { id });
  await hold.arrived;
  end();
  hold.release();
  const answer = await read;
  expect(answer.errors).toBeUndefined();
  return answer.data!.operation;
}

/**
 * OnApp reads a create's status from the VM's backup list, Danube a delete's from its task, and
 * both read the backup list again for `backup`. The work ending between the two reads showed an
 * OnApp create RUNNING beside its backup AVAILABLE and a Danube delete RUNNING with its backup gone.
 */
describe('onapp and danube: an operation whose work ends between its status read and its backup read', () => {
  let onapp: Harness;
  let danube: Harness;
  beforeAll(async () => {
    [onapp, danube] = await Promise.all([startHarness({ kinds: ['onapp'] }), startHarness({ kinds: ['danube'] })]);
  });
  afterAll(async () => {
    await Promise.all([onapp?.close(), danube?.close()]);
  });

  it('an OnApp create reads SUCCEEDED with its backup AVAILABLE, not RUNNING beside it', async () => {
    const simulator = onapp.simulator('onapp').simulator as OnappSimulator;
    simulator.asyncDelayMs = 3_600_000;
    const [instance] = await instancesOf(onapp);
    const created = await onapp.gql<{ createBackup: { operation: Told & { id: string } } }>(CREATE, { input: { instanceId: instance!.id, name: 'built-between-reads' } });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createBackup.operation.id;
    // Once listed (unbuilt), the create names its backup: RUNNING beside it CREATING.
    const running = await eventually(() => onapp.gql<{ operation: Told }>(OPERATION, { id }), (read) => read.data?.operation.backup !== null && read.data?.operation.backup !== undefined);
    expect(running.data!.operation).toMatchObject({ status: 'RUNNING', backup: { status: 'CREATING' } });
    const read = await pollEndingBetween(onapp, 'onapp', 'GET /virtual_machines/:id/backups.json', id, () => simulator.finishBuilds());
    expect(read).toEqual({ status: 'SUCCEEDED', finishedAt: expect.any(String), backup: { status: 'AVAILABLE' } });
  });

  it('a Danube delete reads SUCCEEDED with no backup, not RUNNING with none', async () => {
    const simulator = danube.simulator('danube').simulator as DanubeSimulator;
    simulator.asyncDelayMs = 3_600_000;
    const backup = (await instancesOf(danube)).flatMap((instance) => instance.backups).find((item) => item.status === 'AVAILABLE' && !item.protected)!;
    const deleted = await danube.gql<{ deleteBackup: { operation: Told & { id: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data!.deleteBackup.operation).toMatchObject({ status: 'RUNNING', backup: { status: 'DELETING' } });
    const read = await pollEndingBetween(danube, 'danube', 'GET /task/:x/status', deleted.data!.deleteBackup.operation.id, () => simulator.finishTasks());
    expect(read).toEqual({ status: 'SUCCEEDED', finishedAt: expect.any(String), backup: null });
  });
});
