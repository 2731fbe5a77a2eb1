import { describe, expect, it } from 'vitest';
import { rootVolumesOf, withSharedRootVolumes } from '../../src/providers/zstack/shared-root-volumes.js';
import { vmVolumes } from '../../src/providers/zstack/vm-volumes.js';

type Row = Record<string, unknown>;

// A root volume two VM rows name is no VM's: neither VM's backups are answered (the adapter's
// sharedRootVolumeError names the VMs). Read here alone, as the adapter calls it in listBackups.
const uuid = (letter: string) => letter.repeat(32);
const vm = (id: string, root: string, data: string[] = []): Row => ({ uuid: uuid(id), rootVolumeUuid: uuid(root), allVolumes: [{ uuid: uuid(root), type: 'Root' }, ...data.map((volume) => ({ uuid: uuid(volume), type: 'Data' }))] });
const shared = (asked: Row[], claimants: Row[]) => withSharedRootVolumes(vmVolumes('z', asked), asked, claimants);

describe('zstack: root volumes two VM rows name', () => {
  it('rootVolumesOf names each root volume once, from rootVolumeUuid or the Root entry, and none for a row naming none', () => {
    const byEntry: Row = { uuid: uuid('c'), allVolumes: [{ uuid: uuid('7'), type: 'Data' }, { uuid: uuid('8'), type: 'Root' }] };
    expect(rootVolumesOf([vm('a', '1'), vm('b', '1'), byEntry, { uuid: uuid('d') }, { uuid: uuid('e'), rootVolumeUuid: 'not-a-uuid' }])).toEqual([uuid('1'), uuid('8')]);
    expect(rootVolumesOf([])).toEqual([]);
  });

  it('a VM read alone whose root volume another VM claims: both VMs named, first listed first, and the volume is no VM\'s', () => {
    const volumes = shared([vm('a', '1', ['2'])], [vm('b', '1')]);
    expect(volumes.sharedRootVolume.get(uuid('a'))).toEqual([uuid('a'), uuid('b')]);
    expect(volumes.sharedRootVolume.get(uuid('b'))).toEqual([uuid('a'), uuid('b')]);
    expect(volumes.vmOfRootVolume.has(uuid('1'))).toBe(false);
    expect(volumes.vmOfVolume.has(uuid('1'))).toBe(false);
    // Its data volume is still its own.
    expect(volumes.vmOfVolume.get(uuid('2'))).toBe(uuid('a'));
  });

  it('two asked VMs naming one root volume are caught with no claimant, and a VM with a root of its own is left answered', () => {
    const volumes = shared([vm('a', '1'), vm('b', '1'), vm('c', '3')], []);
    expect([...volumes.sharedRootVolume.keys()]).toEqual([uuid('a'), uuid('b')]);
    expect(volumes.vmOfRootVolume.get(uuid('3'))).toBe(uuid('c'));
    expect(volumes.vmOfVolume.get(uuid('3'))).toBe(uuid('c'));
  });

  it('a root volume claimed through its Root entry, not rootVolumeUuid, is caught too', () => {
    const byEntry: Row = { uuid: uuid('b'), allVolumes: [{ uuid: uuid('1'), type: 'Root' }] };
    expect(shared([vm('a', '1')], [byEntry]).sharedRootVolume.get(uuid('a'))).toEqual([uuid('a'), uuid('b')]);
  });

  it('the asked VM\'s own row among the claimants (the request\'s whole VM list) is not a second claim, nor is a row repeated', () => {
    const own = vm('a', '1');
    const volumes = vmVolumes('z', [own]);
    expect(withSharedRootVolumes(volumes, [own], [own, vm('c', '3')])).toBe(volumes);
    expect(withSharedRootVolumes(volumes, [own], [{ ...own }, { ...own }])).toBe(volumes);
    expect(withSharedRootVolumes(volumes, [own], [own, vm('b', '1'), vm('b', '1')]).sharedRootVolume.get(uuid('a'))).toEqual([uuid('a'), uuid('b')]);
  });

  it('only claims of the asked VMs\' root volumes count: two claimants sharing another volume leave the answer as it was', () => {
    const asked = [vm('a', '1')];
    const volumes = vmVolumes('z', asked);
    expect(withSharedRootVolumes(volumes, asked, [vm('b', '5'), vm('c', '5')])).toBe(volumes);
  });

  it('a claimant whose uuid is not of ZStack\'s shape is no claim (its text is never named in the error)', () => {
    const asked = [vm('a', '1')];
    const volumes = vmVolumes('z', asked);
    for (const id of [undefined, 42, 'B'.repeat(32), `${uuid('b')} password=hunter2`, `password=hunter2 ${uuid('b')}`, uuid('b').slice(1), [uuid('b')]]) {
      expect(withSharedRootVolumes(volumes, asked, [{ ...vm('b', '1'), uuid: id }]), String(id)).toBe(volumes);
    }
  });

  it('a claimant naming no root volume is no claim', () => {
    const asked = [vm('a', '1')];
    const volumes = vmVolumes('z', asked);
    expect(withSharedRootVolumes(volumes, asked, [{ uuid: uuid('b') }, { uuid: uuid('c'), allVolumes: [{ uuid: uuid('1'), type: 'Data' }] }])).toBe(volumes);
  });

  it('leaves the volumes it was handed as they were', () => {
    const asked = [vm('a', '1')];
    const volumes = vmVolumes('z', asked);
    shared(asked, [vm('b', '1')]);
    withSharedRootVolumes(volumes, asked, [vm('b', '1')]);
    expect(volumes.vmOfRootVolume.get(uuid('1'))).toBe(uuid('a'));
    expect(volumes.vmOfVolume.get(uuid('1'))).toBe(uuid('a'));
    expect(volumes.sharedRootVolume.size).toBe(0);
  });
});
