import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { id name note diskId } } }';
const NOTE = 'mutation($input: UpdateBackupNoteInput!) { updateBackupNote(input: $input) { backup { id note } } }';
const DELETE_BACKUP = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';

type Listed = { instance: { backups: Array<{ id: string; name: string; note: string | null; diskId: string | null }> } };

/**
 * A backup's calls other than a create name its original disk ("data.disk_id – Original disk
 * number/ID"), which esdc-ce reads with no VM (filter_disk_id(None, ...)): any positive number, the
 * backup looked up by it. The simulator checked it against the VM's disks now, so the backups of a
 * disk the VM has since lost were 412 "Invalid disk_id" (BAD_USER_INPUT) to a note and a delete.
 */
describe("danube: backups of a disk the VM no longer has", () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let instanceId: string;
  const name = 'daily-20240101_000000';
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const vm = simulator.vms[0]!;
    simulator.backups.push({ hostname: vm.hostname, vm_uuid: vm.uuid, name, define: null, disk_id: 2, status: 1, size: 52_428_800, time: 12, created: '2024-01-01T00:00:00Z', note: '', node: 'node99.erigones.com', zpool: 'zones' });
    // The VM's second disk is removed; its backup stays.
    vm.disks = 1;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances(first: 100) { edges { node { id nativeId } } } }');
    instanceId = listed.data!.instances.edges.find((edge) => edge.node.nativeId === vm.hostname)!.node.id;
  });
  afterAll(() => harness.close());

  const lostDiskBackup = async () => {
    const listed = await harness.gql<Listed>(BACKUPS, { id: instanceId });
    expect(listed.errors).toBeUndefined();
    return listed.data!.instance.backups.find((backup) => backup.name === name && backup.diskId === '2');
  };

  it('takes a note, then a delete, as Danube does', async () => {
    const backup = await lostDiskBackup();
    expect(backup).toBeDefined();
    const noted = await harness.gql<{ updateBackupNote: { backup: { note: string } } }>(NOTE, { input: { backupId: backup!.id, note: 'disk 2, removed' } });
    expect(noted.errors).toBeUndefined();
    expect(noted.data!.updateBackupNote.backup.note).toBe('disk 2, removed');
    const deleted = await harness.gql<{ deleteBackup: { operation: { status: string } } }>(DELETE_BACKUP, { input: { backupId: backup!.id } });
    expect(deleted.errors).toBeUndefined();
    expect(['RUNNING', 'SUCCEEDED']).toContain(deleted.data!.deleteBackup.operation.status);
  });
});
