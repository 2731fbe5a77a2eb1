import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const VIEW = '{ instances(first: 100) { edges { node { id nativeId backups { id nativeId sizeBytes status } protection { status usableBackups lastBackup { id } } } } } }';
const ONE = 'query($id: ID!) { instance(id: $id) { nativeId backups { id nativeId sizeBytes status } protection { status usableBackups lastBackup { id } } } }';

interface Shown {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; nativeId: string; sizeBytes: number | null; status: string }>;
  protection: { status: string; usableBackups: number; lastBackup: { id: string } | null };
}

/**
 * The API docs' volume-backup fields name `volumeUuid`, not `vmInstanceUuid`: a node whose rows
 * leave it out (the simulator's omitsVmInstanceUuid) had each row belong to no VM, and every VM
 * showed no backups, a false UNPROTECTED. Rows are now asked by their VMs' volumes and given to
 * their root volume's VM.
 */
describe('zstack: volume-backup rows without vmInstanceUuid', () => {
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
  beforeEach(() => {
    zstack().omitsVmInstanceUuid = false;
    zstack().ignoresVmFilter = false;
  });

  it('lists each VM its backups and reads its protection as when rows name their VM, in a batch and read alone (it showed none, UNPROTECTED)', async () => {
    const named = await view();
    expect(named.filter((vm) => vm.backups.length > 0).length).toBeGreaterThanOrEqual(3);
    expect(named.some((vm) => vm.protection.status === 'PROTECTED')).toBe(true);

    zstack().omitsVmInstanceUuid = true;
    const unnamed = await view();
    expect(unnamed).toEqual(named);
    const protectedVm = named.find((vm) => vm.protection.status === 'PROTECTED')!;
    const alone = await harness.gql<{ instance: Omit<Shown, 'id'> }>(ONE, { id: protectedVm.id });
    expect(alone.errors).toBeUndefined();
    expect(alone.data!.instance).toEqual({ nativeId: protectedVm.nativeId, backups: protectedVm.backups, protection: protectedVm.protection });
  });

  it('asks by the VMs\' volumes, the condition the docs give, and hands out no other VM\'s rows from a node that ignores it', async () => {
    const named = await view();
    zstack().omitsVmInstanceUuid = true;
    harness.resetUpstreamLogs();
    const protectedVm = named.find((vm) => vm.protection.status === 'PROTECTED')!;
    await harness.gql(ONE, { id: protectedVm.id });
    const sent = harness.simulator('zstack').server.log.filter((item) => item.label === 'GET /zstack/v1/volume-backups');
    expect(sent.length).toBeGreaterThan(0);
    for (const item of sent) expect(decodeURIComponent(item.query)).toMatch(/q=volumeUuid\?=[0-9a-f]{32}/);

    zstack().ignoresVmFilter = true;
    expect(await view()).toEqual(named);
  });
});
