import { describe, expect, it } from 'vitest';
import { groupBackups, isUserVm, mapBackupGroup, parseZstackDate } from '../../src/providers/zstack/mapper.js';

const volume = (overrides: Record<string, unknown>) => ({
  uuid: `v-${Math.random().toString(16).slice(2)}`,
  groupUuid: 'g1',
  vmInstanceUuid: 'vm1',
  type: 'Data',
  name: 'data-disk',
  status: 'Ready',
  size: 1024,
  mode: 'full',
  createDate: 'Nov 14, 2017 10:20:57 PM',
  ...overrides,
});

describe('zstack mapper: a VM backup is a group of volume backups', () => {
  it('is only as ready as its least ready volume, whichever volume that is', () => {
    const root = volume({ type: 'Root', name: 'nightly', status: 'Ready' });
    expect(mapBackupGroup('z', 'g1', [root, volume({ status: 'Creating' })], 'UTC').status).toBe('CREATING');
    expect(mapBackupGroup('z', 'g1', [volume({ status: 'Error' }), root], 'UTC').status).toBe('FAILED');
    expect(mapBackupGroup('z', 'g1', [root, volume({ status: 'Ready' })], 'UTC').status).toBe('AVAILABLE');
    expect(mapBackupGroup('z', 'g1', [volume({ type: 'Root', status: 'Deleting' }), volume({ status: 'Ready' })], 'UTC').status).toBe('DELETING');
    expect(mapBackupGroup('z', 'g1', [root, volume({ status: 'SomethingNew' })], 'UTC').status).toBe('UNKNOWN');
    // A word that names a property of every object is still a word the table does not know.
    expect(mapBackupGroup('z', 'g1', [root, volume({ status: 'constructor' })], 'UTC').status).toBe('UNKNOWN');
  });

  it('is failed when any volume failed, whatever the others show (a failed data volume beside a root still Creating read CREATING)', () => {
    const creatingRoot = volume({ type: 'Root', name: 'nightly', status: 'Creating' });
    expect(mapBackupGroup('z', 'g1', [creatingRoot, volume({ status: 'Failed' })], 'UTC').status).toBe('FAILED');
    expect(mapBackupGroup('z', 'g1', [volume({ status: 'Deleting' }), creatingRoot, volume({ status: 'Error' })], 'UTC').status).toBe('FAILED');
  });

  it('takes name, date and instance from the root volume and adds up the sizes', () => {
    const backup = mapBackupGroup('z', 'g1', [volume({ size: 100 }), volume({ type: 'Root', name: 'nightly', size: 50, vmInstanceUuid: 'vm9' })], 'Asia/Shanghai');
    expect(backup).toMatchObject({ nativeId: 'g1', name: 'nightly', instanceNativeId: 'vm9', sizeBytes: 150, mode: 'FULL' });
    // 10:20:57 PM in Shanghai (UTC+8) is 14:20:57 UTC.
    expect(backup.createdAt?.toISOString()).toBe('2017-11-14T14:20:57.000Z');
    expect(mapBackupGroup('z', 'g1', [volume({ size: 'lots' })], 'UTC').sizeBytes).toBeNull();
  });

  it("of two rows typed Root, takes the one backing up a VM's root volume, else the first of them", () => {
    const stray = volume({ type: 'Root', name: 'nightly-data', volumeUuid: 'data1' });
    const root = volume({ type: 'Root', name: 'nightly', volumeUuid: 'root1' });
    const roots = new Map([['root1', 'vm1']]);
    expect(mapBackupGroup('z', 'g1', [stray, root], 'UTC', roots).name).toBe('nightly');
    expect(mapBackupGroup('z', 'g1', [root, stray], 'UTC', roots).name).toBe('nightly');
    expect(mapBackupGroup('z', 'g1', [stray, root], 'UTC').name).toBe('nightly-data');
    // A typed Root still comes before an untyped row that backs up a root volume.
    expect(mapBackupGroup('z', 'g1', [volume({ type: undefined, name: 'untyped', volumeUuid: 'root1' }), stray], 'UTC', roots).name).toBe('nightly-data');
  });

  it('reads ZStack dates in the account zone, each zone on its own', () => {
    expect(parseZstackDate('Jan 2, 2020 1:05:00 AM', 'UTC')?.toISOString()).toBe('2020-01-02T01:05:00.000Z');
    expect(parseZstackDate('Jan 2, 2020 1:05:00 AM', 'Asia/Shanghai')?.toISOString()).toBe('2020-01-01T17:05:00.000Z');
    expect(parseZstackDate('Jan 2, 2020 12:05:00 PM', 'UTC')?.toISOString()).toBe('2020-01-02T12:05:00.000Z');
    expect(parseZstackDate(42, 'UTC')).toBeNull();
  });

  it("reads the date as every JDK's Gson default writes it, and the 24-hour form ZStack's Go SDK reads", () => {
    const expected = '2017-11-14T22:20:57.000Z';
    for (const text of ['Nov 14, 2017 10:20:57 PM', 'Nov 14, 2017, 10:20:57 PM', 'Nov 14, 2017, 10:20:57\u202fPM', 'Nov 14, 2017 10:20:57\u00a0PM', 'Nov 14, 2017 22:20:57', 'Nov 14, 2017, 22:20:57']) {
      expect(parseZstackDate(text, 'UTC')?.toISOString(), JSON.stringify(text)).toBe(expected);
    }
    expect(parseZstackDate('Nov 14, 2017, 10:20:57 PM', 'Asia/Shanghai')?.toISOString()).toBe('2017-11-14T14:20:57.000Z');
    expect(parseZstackDate('Nov 14, 2017 0:05:00', 'UTC')?.toISOString()).toBe('2017-11-14T00:05:00.000Z');
    expect(parseZstackDate('Nov 14, 2017 23:59:59', 'UTC')?.toISOString()).toBe('2017-11-14T23:59:59.000Z');
    // No time a clock shows: 24:00, a 12-hour 0 or 13, two commas, a tab before PM.
    for (const text of ['Nov 14, 2017 24:00:00', 'Nov 14, 2017 0:05:00 AM', 'Nov 14, 2017 13:05:00 PM', 'Nov 14,, 2017 10:20:57 PM', 'Nov 14, 2017 10:20:57\tPM']) {
      expect(parseZstackDate(text, 'UTC'), JSON.stringify(text)).toBeNull();
    }
  });

  it('groups rows by VM and by group, and makes each row without a group a backup of its own', () => {
    const rows = [
      volume({ groupUuid: 'a', vmInstanceUuid: 'vm1', type: 'Root' }),
      volume({ groupUuid: 'a', vmInstanceUuid: 'vm1' }),
      volume({ groupUuid: 'b', vmInstanceUuid: 'vm2', type: 'Root' }),
      volume({ uuid: 'own1', groupUuid: null }),
      volume({ uuid: 'own2', groupUuid: '' }),
    ];
    const byVm = groupBackups('z', rows, 'UTC');
    expect([...byVm.keys()].sort()).toEqual(['vm1', 'vm2']);
    expect(byVm.get('vm1')?.map((backup) => backup.nativeId)).toEqual(['a', 'own1', 'own2']);
    expect(byVm.get('vm1')?.[1]?.raw.groupUuid).toBeNull();
  });
});

describe('zstack mapper: which vm-instances rows are instances', () => {
  it("keeps users' VMs (UserVm, or no type given) and leaves out ZStack's own appliance VMs, which no one backs up", () => {
    expect(isUserVm({ uuid: 'vm1', type: 'UserVm' })).toBe(true);
    expect(isUserVm({ uuid: 'vm2' })).toBe(true);
    expect(isUserVm({ uuid: 'vr1', type: 'ApplianceVm' })).toBe(false);
  });
});
