import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { type Harness, startHarness } from '../helpers/harness.js';

type Protection = { status: string; reason: string; usableBackups: number | null; lastBackup: { id: string; status: string } | null };
type Listed = { instances: { edges: Array<{ node: { id: string; nativeId: string; protection: Protection } }> } };
const LIST = '{ instances(first: 1000) { edges { node { id nativeId protection { status reason usableBackups lastBackup { id status } } } } } }';

/**
 * A backup being restored from (Danube's status 3, the gateway's RESTORING) is still there, and
 * still there after: the restore reads it. Counted as no usable backup, a PROTECTED instance whose
 * newest backup was being restored read STALE (or UNPROTECTED, with nothing else) for the restore's
 * length, and its "back these up now" list asked for a backup of a VM being restored.
 */
describe('protection while a backup is restored from', () => {
  let harness: Harness;
  beforeAll(async () => {
    // A restore that stays under way for the test's length.
    harness = await startHarness({ kinds: ['danube'], simulator: { asyncDelayMs: 600_000 } });
  });
  afterAll(() => harness.close());

  it('the instance stays PROTECTED by the backup under restore', async () => {
    const listed = await harness.gql<Listed>(LIST);
    const protectedNode = listed.data!.instances.edges.map((edge) => edge.node).find((node) => node.protection.status === 'PROTECTED')!;
    const backup = protectedNode.protection.lastBackup!;
    const simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const vm = simulator.vms.find((row) => row.hostname === protectedNode.nativeId)!;
    vm.status = 'stopped';
    const restore = await harness.gql('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }', { input: { backupId: backup.id, confirm: true } });
    expect(restore.errors).toBeUndefined();

    const during = (await harness.gql<Listed>(LIST)).data!.instances.edges.map((edge) => edge.node).find((node) => node.id === protectedNode.id)!;
    expect(during.protection.lastBackup).toEqual({ id: backup.id, status: 'RESTORING' });
    expect(during.protection).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED', usableBackups: protectedNode.protection.usableBackups });
  });
});
