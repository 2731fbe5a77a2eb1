import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface BackupView {
  id: string;
  nativeId: string;
  diskId: string | null;
  sizeBytes: number | null;
  mode: string | null;
  status: string;
}

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { status } backup { id nativeId diskId sizeBytes mode status } } }';
const VIEW = 'query($id: ID!) { instance(id: $id) { protection(rpoHours: 24) { status reason } backups { id nativeId diskId sizeBytes mode status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

/**
 * OnApp's incremental backups are of the whole VM: "target_type - ... For normal backups it is a
 * disk. For incremental backups it's virtual server", its sample `"disk_id": null`, and the admin
 * guide's "Auto-backups are created per disk" (normal) against "per virtual server" (incremental).
 * A guard, end to end, of what the gateway makes of one: no disk, `backup_size` in kB like any
 * other, restored by its id onto its VM, and renewing the VM's protection whichever disk is
 * scheduled (protection.ts counts a backup naming no disk for every disk).
 */
describe('onapp: incremental backups (target the VM, disk_id null)', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  let instanceId: string;
  let made: BackupView;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
    simulator.asyncDelayMs = 0;
    simulator.incrementalBackups = true;
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances(first: 100) { edges { node { id nativeId } } } }');
    // The seeded VM 484 has a schedule on its primary disk and no recent backup.
    instanceId = list.data!.instances.edges.find((edge) => edge.node.nativeId === '484')!.node.id;
    const created = await harness.gql<{ createBackup: { operation: { status: string }; backup: BackupView } }>(CREATE, { input: { instanceId, name: 'incremental' } });
    expect(created.errors).toBeUndefined();
    made = created.data!.createBackup.backup;
  });
  afterAll(() => harness.close());

  it('names no disk, is INCREMENTAL, and its backup_size is read in kB (1024 bytes)', () => {
    const record = simulator.backups.get(Number(made.nativeId))!;
    expect(record.backup_type).toBe('incremental');
    expect(made).toMatchObject({ diskId: null, mode: 'INCREMENTAL', status: 'AVAILABLE', sizeBytes: record.backup_size * 1024 });
  });

  it("keeps the VM PROTECTED under its disk's schedule", async () => {
    const view = await harness.gql<{ instance: { protection: { status: string; reason: string }; backups: BackupView[] } }>(VIEW, { id: instanceId });
    expect(view.errors).toBeUndefined();
    expect(view.data!.instance.protection).toEqual({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED' });
  });

  it('restores onto its VM, followed to its end', async () => {
    const restore = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: made.id, confirm: true } });
    expect(restore.errors).toBeUndefined();
    const polled = await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: restore.data!.restoreBackup.operation.id });
    expect(polled.data?.operation).toEqual({ status: 'SUCCEEDED', error: null });
  });
});
