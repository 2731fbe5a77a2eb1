import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

type Shown = { id: string; nativeId: string; name: string; note: string | null; createdAt: string | null; sizeBytes: number | null };
const FIELDS = 'id nativeId name note createdAt sizeBytes';
const ONE_VM = `query($id: ID!) { instance(id: $id) { backups { ${FIELDS} } } }`;
const LIST = `{ instances(first: 100) { edges { node { id backups { ${FIELDS} } } } } }`;
const BY_ID = `query($id: ID!) { backup(id: $id) { ${FIELDS} } }`;
type Row = Record<string, unknown>;

/**
 * A VM backup holds one root volume, so a group with two rows typed Root is wrong about one of
 * them. The backup was named, dated and described by the first typed Root (`sort=+uuid`), here a
 * data volume's row mistyped Root: the user saw `...-data`, its date and its note. It is now the
 * Root row backing up the VM's root volume (`rootVolumeUuid`), the volume the VM boots from,
 * wherever the backup is read; with no such row, the first typed Root as before.
 */
describe('zstack: a VM backup group with two rows typed Root', () => {
  let harness: Harness;
  let vmId = '';
  let group = '';
  let rootRow: Row;
  const zstack = () => harness.simulator('zstack').simulator as ZstackSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const simulator = zstack();
    const vm = simulator.vms.find((item) => simulator.volumeBackups.some((row) => row.vmInstanceUuid === item.uuid))!;
    rootRow = simulator.volumeBackups.find((row) => row.vmInstanceUuid === vm.uuid && row.type === 'Root')!;
    group = rootRow.groupUuid as string;
    const dataRow = simulator.volumeBackups.find((row) => row.groupUuid === group && row.type === 'Data')!;
    // The data volume's row typed Root too, sorting first, another date and note.
    dataRow.type = 'Root';
    dataRow.uuid = `0${String(dataRow.uuid).slice(1)}`;
    rootRow.uuid = `f${String(rootRow.uuid).slice(1)}`;
    dataRow.createDate = 'Jan 2, 2016 3:04:05 AM';
    dataRow.description = 'data disk';
    rootRow.description = 'nightly';
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Shown[] } }> } }>(LIST);
    expect(list.errors).toBeUndefined();
    vmId = list.data!.instances.edges.find(({ node }) => node.backups.some((backup) => backup.nativeId === group))!.node.id;
  });
  afterAll(() => harness.close());

  const expected = () => expect.objectContaining({ nativeId: group, name: rootRow.name, note: 'nightly', createdAt: '2017-11-14T22:20:57.000Z' });

  it("is named, dated and described by the VM's root volume's row in the instances list", async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Shown[] } }> } }>(LIST);
    expect(list.errors).toBeUndefined();
    const backups = list.data!.instances.edges.find(({ node }) => node.id === vmId)!.node.backups;
    expect(backups.find((backup) => backup.nativeId === group)).toEqual(expected());
  });

  it('so in one instance read and read by its id, with every volume counted in its size', async () => {
    const one = await harness.gql<{ instance: { backups: Shown[] } }>(ONE_VM, { id: vmId });
    expect(one.errors).toBeUndefined();
    const shown = one.data!.instance.backups.find((backup) => backup.nativeId === group)!;
    expect(shown).toEqual(expected());
    const sizes = zstack().volumeBackups.filter((row) => row.groupUuid === group).map((row) => Number(row.size));
    expect(shown.sizeBytes).toBe(sizes[0]! + sizes[1]!);
    const byId = await harness.gql<{ backup: Shown }>(BY_ID, { id: shown.id });
    expect(byId.errors).toBeUndefined();
    expect(byId.data!.backup).toEqual(expected());
  });

  it("takes the first typed Root where neither backs up the VM's root volume, as before", async () => {
    const simulator = zstack();
    const vm = simulator.vms.find((item) => item.uuid === rootRow.vmInstanceUuid)!;
    const rootVolume = vm.rootVolumeUuid;
    // The VM's row names a root volume no row of the group backs up (a root volume replaced since).
    vm.rootVolumeUuid = 'a'.repeat(32);
    vm.allVolumes = [...(vm.allVolumes as Row[]).map((volume) => (volume.uuid === rootVolume ? { uuid: 'a'.repeat(32), type: 'Root' } : volume)), { uuid: rootVolume, type: 'Data' }];
    try {
      const one = await harness.gql<{ instance: { backups: Shown[] } }>(ONE_VM, { id: vmId });
      expect(one.errors).toBeUndefined();
      expect(one.data!.instance.backups.find((backup) => backup.nativeId === group)).toEqual(expect.objectContaining({ name: `${String(rootRow.name)}-data`, note: 'data disk' }));
    } finally {
      vm.rootVolumeUuid = rootVolume;
    }
  });
});
