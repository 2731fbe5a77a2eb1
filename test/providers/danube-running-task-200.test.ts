import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id backups { id status } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

interface Vm {
  id: string;
  backups: Array<{ id: string; status: string }>;
}

/**
 * Danube answers a running task "201 Created – PENDING" (API docs); a panel or a proxy before it
 * that answers it 200 still says PENDING (or STARTED) in the envelope. The gateway read the task's
 * state from the HTTP status alone: a write answered 200 PENDING was SUCCEEDED at once, its task
 * never followed, and a poll answered 200 STARTED ended a running operation SUCCEEDED.
 */
describe('danube: a running task answered 200 instead of 201', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let vms: Vm[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.asyncDelayMs = 3_600_000;
    simulator.runningTaskHttpStatus = 200;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Vm }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    vms = answer.data!.instances.edges.map((edge) => edge.node).filter((node) => node.backups.some((backup) => backup.status === 'AVAILABLE'));
    expect(vms.length).toBeGreaterThanOrEqual(2);
  });
  afterAll(() => harness.close());

  const poll = async (id: string) => {
    const read = await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id });
    return { errors: read.errors?.map((error) => error.extensions?.code), operation: read.data?.operation };
  };
  /** The simulator's running tasks end now: their next status read finishes them. */
  const finishTasks = () => {
    for (const task of simulator.tasks.values()) task.doneAt = 0;
  };

  it('a create answered 200 PENDING is RUNNING, followed while its task answers 200 STARTED, and SUCCEEDED once the task is done', async () => {
    const created = await harness.gql<{ createBackup: { operation: { id: string; status: string } } }>(CREATE, { input: { instanceId: vms[0]!.id, name: 'task-200', definitionName: 'daily' } });
    expect(created.errors).toBeUndefined();
    expect(created.data?.createBackup.operation.status).toBe('RUNNING');
    const id = created.data!.createBackup.operation.id;
    expect(await poll(id)).toEqual({ errors: undefined, operation: { status: 'RUNNING', error: null } });
    finishTasks();
    expect(await poll(id)).toEqual({ errors: undefined, operation: { status: 'SUCCEEDED', error: null } });
  });

  it('a delete answered 200 PENDING is RUNNING until its task is done', async () => {
    const backup = vms[1]!.backups.find((item) => item.status === 'AVAILABLE')!;
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string; status: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data?.deleteBackup.operation.status).toBe('RUNNING');
    const id = deleted.data!.deleteBackup.operation.id;
    expect(await poll(id)).toEqual({ errors: undefined, operation: { status: 'RUNNING', error: null } });
    finishTasks();
    expect(await poll(id)).toEqual({ errors: undefined, operation: { status: 'SUCCEEDED', error: null } });
  });
});
