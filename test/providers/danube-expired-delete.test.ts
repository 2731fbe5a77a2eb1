import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { dashboardNodes, type DashboardNode } from '../helpers/dashboard.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status providerOperationId } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

type Deleted = { deleteBackup: { operation: { id: string; status: string; providerOperationId: string } } };
type Followed = { operation: { status: string; error: string | null } };

/**
 * Danube forgets a task's result a while after it ran ("Task does not exist
 * (anymore)", 404), its work done either way: an operation polled only then
 * (a dashboard opened the next morning) must report what the task did, which
 * for a delete the backup list still tells.
 */
describe('danube: a delete whose task Danube has forgotten', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: DashboardNode[];

  beforeAll(async () => {
    // No read cache: each poll reads the backup list as Danube has it then.
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: 6 }, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    nodes = await dashboardNodes(harness);
  });
  afterAll(() => harness.close());

  /** The `nth` backup the dashboard shows AVAILABLE, each test deleting one of its own. */
  const availableBackupOf = (nth: number) => {
    const backup = nodes.flatMap((node) => node.backups).filter((candidate) => candidate.status === 'AVAILABLE')[nth];
    if (!backup) throw new Error(`the simulator shows fewer than ${nth + 1} available backups`);
    return backup;
  };
  const listedNow = async (backupId: string) => (await dashboardNodes(harness)).flatMap((node) => node.backups).find((backup) => backup.id === backupId);

  async function deleteThenExpire(index: number): Promise<{ operationId: string; backupId: string }> {
    const backup = availableBackupOf(index);
    const answer = await harness.gql<Deleted>(DELETE, { input: { backupId: backup.id } });
    expect(answer.errors).toBeUndefined();
    const operation = answer.data!.deleteBackup.operation;
    expect(operation.status).toBe('RUNNING');
    simulator.expireTask(operation.providerOperationId);
    return { operationId: operation.id, backupId: backup.id };
  }

  it('reports SUCCEEDED when the backup is gone (it was FAILED "no longer knows this task")', async () => {
    const { operationId, backupId } = await deleteThenExpire(0);
    const followed = await harness.gql<Followed>(OPERATION, { id: operationId });
    expect(followed.data?.operation).toEqual({ status: 'SUCCEEDED', error: null });
    expect(await listedNow(backupId)).toBeUndefined();
  });

  it('reports FAILED when the delete failed and the backup is back to OK', async () => {
    simulator.failNextTask = 'zfs destroy failed';
    const { operationId, backupId } = await deleteThenExpire(1);
    const followed = await harness.gql<Followed>(OPERATION, { id: operationId });
    expect(followed.data?.operation.status).toBe('FAILED');
    expect(followed.data?.operation.error).toMatch(/still there/);
    expect((await listedNow(backupId))?.status).toBe('AVAILABLE');
  });

  it('reports RUNNING while the backup still reads pending (the delete not yet done)', async () => {
    const backup = availableBackupOf(2);
    const answer = await harness.gql<Deleted>(DELETE, { input: { backupId: backup.id } });
    // Forgotten before it ran: Danube still shows the backup pending its delete.
    simulator.forgetTask(answer.data!.deleteBackup.operation.providerOperationId);
    const followed = await harness.gql<Followed>(OPERATION, { id: answer.data!.deleteBackup.operation.id });
    expect(followed.data?.operation).toEqual({ status: 'RUNNING', error: null });
  });
});
