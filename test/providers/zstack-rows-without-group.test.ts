import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const VIEW = '{ instances(first: 100) { edges { node { id nativeId backups { id nativeId sizeBytes status } protection { status } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';

type Shown = { id: string; nativeId: string; backups: Array<{ id: string; nativeId: string; sizeBytes: number | null; status: string }>; protection: { status: string } };

/**
 * A volume backup without `groupUuid` is outside any VM backup (ZStack's per-volume backups; the
 * CreateVmBackup example's data volume): it was dropped, so a VM backed up only so read no backups
 * and UNPROTECTED. Each is now a backup of its own, under the VM that has its volume; the gateway
 * deletes and reverts VM backups only, so both are refused before any call.
 */
describe('zstack: volume-backup rows without groupUuid', () => {
  let harness: Harness;
  const zstack = () => harness.simulator('zstack').simulator as ZstackSimulator;
  const view = async (): Promise<Shown[]> => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Shown }> } }>(VIEW);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.map((edge) => edge.node);
  };

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());

  it('lists each row as a backup of its own under the VM whose volume it backs up, none merged or dropped', async () => {
    zstack().omitsGroupUuid = true;
    for (const node of await view()) {
      const vm = zstack().vms.find((row) => row.uuid === node.nativeId)!;
      const own = new Set((vm.allVolumes as Array<{ uuid: string }>).map((volume) => volume.uuid));
      const rows = zstack().volumeBackups.filter((row) => own.has(String(row.volumeUuid)));
      expect(node.backups.map((backup) => backup.nativeId).sort()).toEqual(rows.map((row) => String(row.uuid)).sort());
      for (const backup of node.backups) expect(backup.sizeBytes).toBe(rows.find((row) => row.uuid === backup.nativeId)!.size);
      if (rows.length > 0) expect(node.protection.status).not.toBe('UNPROTECTED');
    }
  });

  it('refuses its delete and its restore with CONFLICT, nothing sent to ZStack', async () => {
    zstack().omitsGroupUuid = true;
    const node = (await view()).find((item) => item.backups.length > 0)!;
    const backup = node.backups[0]!;
    harness.resetUpstreamLogs();
    const deleted = await harness.gql(DELETE, { input: { backupId: backup.id } });
    expect(errorCodes(deleted)).toEqual(['CONFLICT']);
    expect(deleted.errors![0]!.message).toContain('this backup is of one volume, outside any VM backup (ZStack lists it without a groupUuid), and the gateway deletes VM backups only, so nothing was sent to ZStack');
    const restored = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(errorCodes(restored)).toEqual(['CONFLICT']);
    expect(restored.errors![0]!.message).toContain('the gateway reverts VM backups only, so nothing was sent to ZStack');
    const writes = harness.simulator('zstack').server.log.filter((item) => !item.label.startsWith('GET ') && !item.label.includes('accounts/login'));
    expect(writes.map((item) => item.label)).toEqual([]);
    expect(zstack().volumeBackups.some((row) => row.uuid === backup.nativeId)).toBe(true);
  });
});
