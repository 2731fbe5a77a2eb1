import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const VIEW = '{ instances(first: 100) { edges { node { id nativeId backups { id nativeId sizeBytes status } } } } }';
const ONE = 'query($id: ID!) { instance(id: $id) { id nativeId backups { id nativeId sizeBytes status } } }';

type Shown = { id: string; nativeId: string; backups: Array<{ id: string; nativeId: string; sizeBytes: number | null; status: string }> };

/**
 * A data volume moved to another VM after a VM backup of its first VM: the backup stays the first
 * VM's (its root volume's, the VM its rows name), and counts the volumes that VM has now, whichever
 * VMs a request reads. Rows are found by the asked VMs' volumes, so the moved volume's row came back
 * only when its new VM was read too: the old VM's backup was bigger on the dashboard than read alone.
 */
describe('zstack: a data volume moved to another VM after its backup', () => {
  let harness: Harness;
  const zstack = () => harness.simulator('zstack').simulator as ZstackSimulator;
  const view = async (): Promise<Shown[]> => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Shown }> } }>(VIEW);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.map((edge) => edge.node);
  };
  const alone = async (id: string): Promise<Shown> => {
    const answer = await harness.gql<{ instance: Shown }>(ONE, { id });
    expect(answer.errors).toBeUndefined();
    return answer.data!.instance;
  };

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    zstack().omitsVmInstanceUuid = false;
  });

  for (const named of [true, false]) {
    it(`${named ? 'rows naming their VM' : 'rows without vmInstanceUuid'}: the backup stays the old VM's, the same on the dashboard as read alone, counting its root alone; the new VM gains no backup`, async () => {
      zstack().omitsVmInstanceUuid = !named;
      const [first, second] = (await view()).filter((node) => node.backups.length > 0);
      const oldVm = zstack().vms.find((vm) => vm.uuid === first!.nativeId)!;
      const data = (oldVm.allVolumes as Array<{ uuid: string; type: string }>).find((volume) => volume.type === 'Data')!;
      zstack().moveVolume(data.uuid, second!.nativeId);
      try {
        const dashboard = await view();
        const oldShown = dashboard.find((node) => node.id === first!.id)!;
        const newShown = dashboard.find((node) => node.id === second!.id)!;
        expect(oldShown).toEqual(await alone(first!.id));
        expect(newShown).toEqual(await alone(second!.id));
        expect(oldShown.backups.map((backup) => backup.nativeId)).toEqual(first!.backups.map((backup) => backup.nativeId));
        expect(newShown.backups).toEqual(second!.backups);
        for (const backup of oldShown.backups) {
          const root = zstack().volumeBackups.find((row) => row.groupUuid === backup.nativeId && row.type === 'Root')!;
          expect(backup.sizeBytes).toBe(root.size);
        }
      } finally {
        zstack().moveVolume(data.uuid, first!.nativeId);
      }
    });
  }
});
