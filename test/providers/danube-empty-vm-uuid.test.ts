import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { nativeId backups { id name } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status providerOperationId } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

/**
 * A forgotten delete is judged by whether the VM, asked by the uuid the delete went by, still
 * lists its backup. A row whose `vm_uuid` is "" names no VM, as a backup's own calls read it
 * (backupRowVmUuid): it is the VM's its list was asked for, not another VM's.
 */
describe('danube: a forgotten delete whose backup is listed again with vm_uuid ""', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.asyncDelayMs = 60_000;
  });
  afterAll(() => harness.close());

  it('reports FAILED "still there" when the delete failed (it read SUCCEEDED: the row was taken for another VM\'s)', async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; name: string }> } }> } }>(INSTANCES);
    const vm = listed.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === 'web03.example.com')!;
    const doomed = vm.backups[0]!;
    simulator.failNextTask = 'zfs destroy failed';
    // The row carried the VM's uuid: the delete goes by it, and its operation id keeps it.
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string; status: string; providerOperationId: string } } }>(DELETE, { input: { backupId: doomed.id } });
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data!.deleteBackup.operation.status).toBe('RUNNING');
    simulator.backupVmUuidField = 'empty';
    simulator.expireTask(deleted.data!.deleteBackup.operation.providerOperationId);
    const operation = (await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: deleted.data!.deleteBackup.operation.id })).data?.operation;
    expect(operation?.status).toBe('FAILED');
    expect(operation?.error).toMatch(/still there/);
    expect(simulator.backups.some((backup) => backup.name === doomed.name && backup.hostname === 'web03.example.com')).toBe(true);
  });
});
