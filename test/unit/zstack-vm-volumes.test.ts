import { describe, expect, it } from 'vitest';
import { MAX_KNOWN_VOLUMES_PER_VM, MAX_VOLUMES_PER_VM, NO_VM_VOLUMES, rootVolumeOf, vmVolumes, volumeRowsOf } from '../../src/providers/zstack/vm-volumes.js';

type Row = Record<string, unknown>;

const uuid = (text: string) => text.padStart(32, '0');
const volume = (id: string, type = 'Data'): Row => ({ uuid: uuid(id), type });
const vm = (id: string, root: string | undefined, data: string[] = []): Row => ({
  uuid: `vm-${id}`,
  ...(root === undefined ? {} : { rootVolumeUuid: uuid(root) }),
  allVolumes: [...(root === undefined ? [] : [volume(root, 'Root')]), ...data.map((entry) => volume(entry))],
});
/** `count` data volumes numbered from `from`, as hex ids. */
const dataVolumes = (count: number, from = 0x1000) => Array.from({ length: count }, (_, index) => (from + index).toString(16));

describe('zstack vmVolumes: the volumes of the VMs a backup list is for', () => {
  it('reads each VM\'s root and data volumes, each volume once, the root volume first', () => {
    const volumes = vmVolumes('z', [vm('a', 'a1', ['a2', 'a3']), vm('b', 'b1', ['b2'])]);
    expect(volumes.volumes).toEqual([uuid('a1'), uuid('a2'), uuid('a3'), uuid('b1'), uuid('b2')]);
    expect([...volumes.vmOfRootVolume]).toEqual([[uuid('a1'), 'vm-a'], [uuid('b1'), 'vm-b']]);
    expect([...volumes.vmOfVolume]).toEqual([[uuid('a1'), 'vm-a'], [uuid('a2'), 'vm-a'], [uuid('a3'), 'vm-a'], [uuid('b1'), 'vm-b'], [uuid('b2'), 'vm-b']]);
    expect([...volumes.listed]).toEqual(['vm-a', 'vm-b']);
    expect([...volumes.wholeVolumes]).toEqual(['vm-a', 'vm-b']);
    expect(volumes.askByVmToo).toEqual([]);
    expect(volumes.sharedRootVolume.size).toBe(0);
  });

  it('the first VM listing a volume holds it, as root or data volume; the other\'s row is no transfer', () => {
    const volumes = vmVolumes('z', [vm('a', 'f0', ['d']), vm('b', 'f0', ['d', 'e'])]);
    expect(volumes.vmOfRootVolume.get(uuid('f0'))).toBe('vm-a');
    expect(volumes.vmOfVolume.get(uuid('f0'))).toBe('vm-a');
    expect(volumes.vmOfVolume.get(uuid('d'))).toBe('vm-a');
    expect(volumes.vmOfVolume.get(uuid('e'))).toBe('vm-b');
    expect(volumes.volumes).toEqual([uuid('f0'), uuid('d'), uuid('e')]);
  });

  it('a root volume read from rootVolumeUuid, else from the entry typed Root; one that is no ZStack uuid is passed over', () => {
    const byEntry: Row = { uuid: 'vm-e', rootVolumeUuid: '', allVolumes: [volume('d1'), volume('f1', 'Root')] };
    expect(rootVolumeOf(byEntry, volumeRowsOf(byEntry))).toBe(uuid('f1'));
    const bothNamed: Row = { uuid: 'vm-f', rootVolumeUuid: uuid('f2'), allVolumes: [volume('f3', 'Root')] };
    expect(rootVolumeOf(bothNamed, volumeRowsOf(bothNamed))).toBe(uuid('f2'));
    const noUuid: Row = { uuid: 'vm-g', rootVolumeUuid: 'R'.repeat(32), allVolumes: [{ uuid: 'not-a-uuid', type: 'Root' }, { uuid: uuid('f4').toUpperCase().replace(/0/g, 'F'), type: 'Root' }] };
    expect(rootVolumeOf(noUuid, volumeRowsOf(noUuid))).toBeNull();
    // A Root entry with no ZStack uuid before one with: the one with.
    const second: Row = { uuid: 'vm-h', allVolumes: [{ uuid: 'x', type: 'Root' }, volume('f5', 'Root')] };
    expect(rootVolumeOf(second, volumeRowsOf(second))).toBe(uuid('f5'));
    expect(rootVolumeOf({ uuid: 'vm-i', rootVolumeUuid: uuid('f6').slice(1) }, [])).toBeNull();
    // A list holding a uuid reads as that uuid's text, but is none.
    expect(rootVolumeOf({ uuid: 'vm-l', rootVolumeUuid: [uuid('f6')] }, [])).toBeNull();
    expect(rootVolumeOf({ uuid: 'vm-j', rootVolumeUuid: `${uuid('f6')}0` }, [])).toBeNull();
    expect(rootVolumeOf({ uuid: 'vm-k', rootVolumeUuid: `x${uuid('f6')}` }, [])).toBeNull();
  });

  it('volumeRowsOf: only the objects of an allVolumes list; none where it is no list', () => {
    expect(volumeRowsOf({ allVolumes: [volume('1'), null, 'x', 7, volume('2')] })).toEqual([volume('1'), volume('2')]);
    expect(volumeRowsOf({ allVolumes: { uuid: uuid('1') } })).toEqual([]);
    expect(volumeRowsOf({})).toEqual([]);
  });

  it('a VM naming no readable root volume is asked by its uuid too, its volumes not whole; its data volumes still its own', () => {
    const volumes = vmVolumes('z', [vm('a', undefined, ['d1']), vm('b', 'b1')]);
    expect(volumes.askByVmToo).toEqual(['vm-a']);
    expect([...volumes.wholeVolumes]).toEqual(['vm-b']);
    expect([...volumes.listed]).toEqual(['vm-a', 'vm-b']);
    expect(volumes.vmOfVolume.get(uuid('d1'))).toBe('vm-a');
    expect(volumes.volumes).toEqual([uuid('d1'), uuid('b1')]);
    expect(volumes.vmOfRootVolume.size).toBe(1);
  });

  it('a row with no VM id is passed over; a volume entry with no ZStack uuid is no volume', () => {
    const volumes = vmVolumes('z', [{ rootVolumeUuid: uuid('f0'), allVolumes: [volume('f0', 'Root')] }, { uuid: '', rootVolumeUuid: uuid('s') }, { uuid: 'vm-a', rootVolumeUuid: uuid('a1'), allVolumes: [{ uuid: 'nope' }, { uuid: 42 }, { uuid: [uuid('a3')] }, volume('a2')] }]);
    expect([...volumes.listed]).toEqual(['vm-a']);
    expect(volumes.volumes).toEqual([uuid('a1'), uuid('a2')]);
    expect([...volumes.vmOfVolume.keys()]).toEqual([uuid('a1'), uuid('a2')]);
  });

  it(`asks by at most ${MAX_VOLUMES_PER_VM} volumes of one VM, its root first, and by the VM for the rest, once`, () => {
    const data = dataVolumes(MAX_VOLUMES_PER_VM + 5);
    const volumes = vmVolumes('z', [vm('a', 'a0', data)]);
    expect(volumes.volumes).toHaveLength(MAX_VOLUMES_PER_VM);
    expect(volumes.volumes[0]).toBe(uuid('a0'));
    expect(volumes.volumes.at(-1)).toBe(uuid(data[MAX_VOLUMES_PER_VM - 2] as string));
    expect(volumes.askByVmToo).toEqual(['vm-a']);
    // Every volume's VM is still known, past the cap too.
    expect(volumes.vmOfVolume.get(uuid(data.at(-1) as string))).toBe('vm-a');
    expect([...volumes.wholeVolumes]).toEqual(['vm-a']);
    // Exactly the cap: nothing asked by the VM.
    const atCap = vmVolumes('z', [vm('b', 'b0', dataVolumes(MAX_VOLUMES_PER_VM - 1))]);
    expect(atCap.volumes).toHaveLength(MAX_VOLUMES_PER_VM);
    expect(atCap.askByVmToo).toEqual([]);
    // A root listed again among its data volumes takes no second place.
    const repeated = vmVolumes('z', [vm('c', 'c0', ['c0', ...dataVolumes(MAX_VOLUMES_PER_VM - 1)])]);
    expect(repeated.volumes).toHaveLength(MAX_VOLUMES_PER_VM);
    expect(repeated.askByVmToo).toEqual([]);
    // Listed again once the cap is reached: still nothing left out.
    const repeatedLast = vmVolumes('z', [vm('d', 'd0', [...dataVolumes(MAX_VOLUMES_PER_VM - 1), 'd0'])]);
    expect(repeatedLast.askByVmToo).toEqual([]);
  });

  it('a VM with no root volume and more volumes than the cap is asked by its uuid once', () => {
    const volumes = vmVolumes('z', [vm('a', undefined, dataVolumes(MAX_VOLUMES_PER_VM + 1))]);
    expect(volumes.askByVmToo).toEqual(['vm-a']);
    expect(volumes.volumes).toHaveLength(MAX_VOLUMES_PER_VM);
  });

  it(`remembers the VM of at most ${MAX_KNOWN_VOLUMES_PER_VM} volumes of one row; a row listing more is not whole`, () => {
    const atLimit = vmVolumes('z', [vm('a', 'a0', dataVolumes(MAX_KNOWN_VOLUMES_PER_VM - 1))]);
    expect(atLimit.vmOfVolume.size).toBe(MAX_KNOWN_VOLUMES_PER_VM);
    expect([...atLimit.wholeVolumes]).toEqual(['vm-a']);
    const past = dataVolumes(MAX_KNOWN_VOLUMES_PER_VM);
    const over = vmVolumes('z', [vm('b', 'b0', past)]);
    expect(over.vmOfVolume.size).toBe(MAX_KNOWN_VOLUMES_PER_VM);
    expect(over.vmOfVolume.has(uuid(past.at(-1) as string))).toBe(false);
    expect(over.wholeVolumes.size).toBe(0);
  });

  it('NO_VM_VOLUMES holds nothing', () => {
    expect(NO_VM_VOLUMES).toMatchObject({ volumes: [], askByVmToo: [] });
    for (const held of [NO_VM_VOLUMES.vmOfRootVolume, NO_VM_VOLUMES.vmOfVolume, NO_VM_VOLUMES.listed, NO_VM_VOLUMES.wholeVolumes, NO_VM_VOLUMES.sharedRootVolume]) expect(held.size).toBe(0);
  });
});
