import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { errorCodes, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

interface Node {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; nativeId: string; status: string }>;
}

const LIST = '{ instances(first: 1000) { edges { node { id nativeId backups { id nativeId status } } } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';

/**
 * ZStack's API docs name no status check for RevertVmFromVmBackup ("status String Status of the
 * disk backup", no values), so the simulator plays both readings (`unreadyRevert`): a node that
 * reverts the VM from a group still Creating or Failed (its job succeeds), and one that fails the
 * job. The gateway sent both: the first wrote a partial backup over the VM and read SUCCEEDED.
 */
describe.each(['reverts', 'fails'] as const)('zstack: a revert from a backup that is not Ready (a node that %s it)', (unreadyRevert) => {
  let harness: Harness;
  let simulator: ZstackSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.unreadyRevert = unreadyRevert;
  });
  afterAll(() => harness.close());

  const nodes = async () => (await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST)).data!.instances.edges.map((edge) => edge.node);

  async function backupShown(volumeStatus: string, index: number): Promise<{ id: string; status: string }> {
    const node = (await nodes()).filter((item) => item.backups.length > 0)[index]!;
    const group = node.backups[0]!.nativeId;
    // The root volume's backup alone: a group is only as ready as its least ready volume.
    const root = simulator.volumeBackups.find((volume) => volume.groupUuid === group && volume.type === 'Root')!;
    root.status = volumeStatus;
    const shown = (await nodes()).find((item) => item.id === node.id)!.backups.find((item) => item.nativeId === group)!;
    return { id: shown.id, status: shown.status };
  }

  it('still Creating: CONFLICT saying to wait, nothing sent', async () => {
    const backup = await backupShown('Creating', 0);
    expect(backup.status).toBe('CREATING');
    const refused = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0]?.message).toBe(
      'the backup is still being made (ZStack lists it Creating), so nothing was sent to ZStack: a VM reverted from it would get disks not yet written whole; wait until the backup reads AVAILABLE, then send the restore again',
    );
    expect(simulator.reverts).toBe(0);
  });

  it('Failed: CONFLICT saying to restore from another backup, nothing sent; a Ready one is still sent', async () => {
    const backup = await backupShown('Failed', 1);
    expect(backup.status).toBe('FAILED');
    const refused = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0]?.message).toBe('the backup failed (ZStack lists it, or one of its volumes, Failed), so it holds no whole copy of the VM and nothing was sent to ZStack; restore from another backup');
    expect(simulator.reverts).toBe(0);
    const ready = await backupShown('Ready', 2);
    expect(ready.status).toBe('AVAILABLE');
    const sent = await harness.gql(RESTORE, { input: { backupId: ready.id, confirm: true } });
    expect(sent.errors).toBeUndefined();
    expect(simulator.reverts).toBe(1);
  });
});
