import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id backups { id nativeId } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

/**
 * A backup the gateway still has in its read cache, deleted at ZStack meanwhile, then deleted
 * through the gateway. ZStack accepts every non-query API (202) and answers in its job. Its own
 * rule for deleting what is not there is success (DeleteVmBackup's handler: an empty group
 * publishes the success event); a node that checks the group instead fails the job with SYS.1003
 * (RESOURCE_NOT_FOUND), which says the backup is gone: what the client asked for.
 */
describe('zstack: deleting a backup that is already gone', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let vms: Array<{ id: string; backups: Array<{ id: string; nativeId: string }> }>;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 0;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Array<{ id: string; nativeId: string }> } }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    vms = answer.data!.instances.edges.map((edge) => edge.node).filter((node) => node.backups.length > 0);
  });
  afterAll(() => harness.close());

  /** Deletes the cached backup of the `nth` VM, gone at ZStack first when `goneFirst`; the operation as it ends. */
  async function deleteCached(nth: number, goneFirst: boolean) {
    const backup = vms[nth]!.backups[0]!;
    if (goneFirst) for (let index = simulator.volumeBackups.length - 1; index >= 0; index--) if (simulator.volumeBackups[index]!.groupUuid === backup.nativeId) simulator.volumeBackups.splice(index, 1);
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string; status: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    const done = await eventually(() => harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: deleted.data!.deleteBackup.operation.id }), (read) => read.data?.operation.status !== 'RUNNING');
    return done.data?.operation;
  }

  it("is SUCCEEDED where the node's job fails with SYS.1003 and the VM no longer lists the group (it was FAILED)", async () => {
    simulator.missingGroupDelete = 'fails';
    expect(await deleteCached(0, true)).toEqual({ status: 'SUCCEEDED', error: null });
  });

  it("is SUCCEEDED where the node answers as ZStack's own handler does (the job succeeds)", async () => {
    simulator.missingGroupDelete = 'succeeds';
    expect(await deleteCached(1, true)).toEqual({ status: 'SUCCEEDED', error: null });
  });

  it('stays FAILED with the error where SYS.1003 named something else and the group is still listed', async () => {
    simulator.failNextJob = { code: 'SYS.1003', description: 'invalid field[backupStorageUuids], resource[uuids:[0123456789abcdef0123456789abcdef], type:BackupStorageVO] not found', details: '' };
    const operation = await deleteCached(2, false);
    expect(operation?.status).toBe('FAILED');
    expect(operation?.error).toContain('type:BackupStorageVO] not found');
    expect(simulator.volumeBackups.some((volume) => volume.groupUuid === vms[2]!.backups[0]!.nativeId)).toBe(true);
  });
});
