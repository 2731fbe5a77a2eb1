import { describe, expect, it } from 'vitest';
import { chunkForUrl, groupBackups, mapBackupGroup, mapInstance, parseZstackDate } from '../../src/providers/zstack/mapper.js';

const volume = (overrides: Record<string, unknown>) => ({ groupUuid: 'g1', vmInstanceUuid: 'vm1', type: 'Root', name: 'nightly', status: 'Ready', size: 1024, mode: 'Full', createDate: 'Nov 14, 2017 10:20:57 PM', ...overrides });

describe('zstack mapper: the rest of a backup group', () => {
  it('reads every month name', () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    months.forEach((month, index) => {
      expect(parseZstackDate(`${month} 3, 2021 4:05:06 AM`, 'UTC')?.toISOString(), month).toBe(`2021-${String(index + 1).padStart(2, '0')}-03T04:05:06.000Z`);
    });
    expect(parseZstackDate('Foo 3, 2021 4:05:06 AM', 'UTC')).toBeNull();
  });

  it('reads 12 AM as midnight and 12 PM as noon, around surrounding spaces', () => {
    expect(parseZstackDate('Jan 1, 2021 12:30:00 AM', 'UTC')?.toISOString()).toBe('2021-01-01T00:30:00.000Z');
    expect(parseZstackDate('Jan 1, 2021 12:30:00 PM', 'UTC')?.toISOString()).toBe('2021-01-01T12:30:00.000Z');
    expect(parseZstackDate('  Jan 1, 2021 1:30:00 PM  ', 'UTC')?.toISOString()).toBe('2021-01-01T13:30:00.000Z');
  });

  it('reads an ISO date with its own zone as it is, and text around a ZStack date as no date', () => {
    expect(parseZstackDate('2021-01-01T10:00:00+02:00', 'Asia/Shanghai')?.toISOString()).toBe('2021-01-01T08:00:00.000Z');
    expect(parseZstackDate('XJan 1, 2021 1:30:00 PM', 'UTC')).toBeNull();
    expect(parseZstackDate('Jan 1, 2021 1:30:00 PM today', 'UTC')).toBeNull();
    expect(parseZstackDate('', 'UTC')).toBeNull();
    // Asked twice: the same answer (the second time from memory).
    expect(parseZstackDate('Jan 1, 2021 1:30:00 PM today', 'UTC')).toBeNull();
    expect(parseZstackDate('Jan 1, 2021 1:30:00 PM', 'Asia/Shanghai')?.toISOString()).toBe('2021-01-01T05:30:00.000Z');
    expect(parseZstackDate('Jan 1, 2021 1:30:00 PM', 'Asia/Shanghai')?.toISOString()).toBe('2021-01-01T05:30:00.000Z');
  });

  it('reads a ZStack date as strictly as any other: no hour off the 12-hour clock, no rolled-over day, nothing before 1970', () => {
    for (const text of ['Jan 1, 2021 0:30:00 AM', 'Jan 1, 2021 13:30:00 PM', 'Feb 30, 2021 1:00:00 AM', 'Nov 31, 2021 1:00:00 AM', 'Jan 1, 2021 1:60:00 AM', 'Dec 31, 1969 6:59:59 PM', 'Dec 31, 9999 11:00:00 PM']) {
      expect(parseZstackDate(text, 'America/New_York'), text).toBeNull();
    }
    expect(parseZstackDate('Jan 1, 2021 1:00:00 AM', 'America/New_York')?.toISOString()).toBe('2021-01-01T06:00:00.000Z');
    expect(parseZstackDate('Dec 31, 1969 7:00:00 PM', 'America/New_York')?.toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(parseZstackDate('Feb 29, 2024 11:59:59 AM', 'America/New_York')?.toISOString()).toBe('2024-02-29T16:59:59.000Z');
    expect(mapBackupGroup('z', 'g', [volume({ createDate: 'Feb 30, 2021 1:00:00 AM' })], 'UTC').createdAt).toBeNull();
    expect(mapBackupGroup('z', 'g', [volume({ createDate: '+275760-09-13T00:00:00Z' })], 'UTC').createdAt).toBeNull();
  });

  it('maps each volume status word', () => {
    const status = (word: string) => mapBackupGroup('z', 'g', [volume({ status: word })], 'UTC').status;
    expect(['Ready', 'Creating', 'Deleting', 'Restoring', 'Error', 'Failed', 'READY'].map(status)).toEqual(['AVAILABLE', 'CREATING', 'DELETING', 'RESTORING', 'FAILED', 'FAILED', 'AVAILABLE']);
    expect(mapBackupGroup('z', 'g', [{ ...volume({}), status: undefined }], 'UTC').status).toBe('UNKNOWN');
  });

  it('reads the mode in any case; none where the rows do not say full or incremental (the API docs list no mode)', () => {
    expect(mapBackupGroup('z', 'g', [volume({ mode: 'Incremental' })], 'UTC').mode).toBe('INCREMENTAL');
    expect(mapBackupGroup('z', 'g', [volume({ mode: 'incremental' })], 'UTC').mode).toBe('INCREMENTAL');
    expect(mapBackupGroup('z', 'g', [volume({ mode: ' FULL ' })], 'UTC').mode).toBe('FULL');
    expect(mapBackupGroup('z', 'g', [volume({ mode: undefined })], 'UTC').mode).toBeNull();
    expect(mapBackupGroup('z', 'g', [volume({ mode: 'Differential' })], 'UTC').mode).toBeNull();
  });

  it('maps the whole record: no origin, no protection, the root description as note, the volumes in raw', () => {
    const volumes = [volume({ description: 'before upgrade', size: 10.4 }), volume({ type: 'Data', size: 5 })];
    const backup = mapBackupGroup('zs', 'g9', volumes, 'UTC');
    expect(backup).toEqual({
      providerId: 'zs',
      nativeId: 'g9',
      instanceNativeId: 'vm1',
      keyExtra: [],
      name: 'nightly',
      status: 'AVAILABLE',
      origin: null,
      mode: 'FULL',
      createdAt: new Date('2017-11-14T22:20:57Z'),
      sizeBytes: 15,
      protected: false,
      diskId: null,
      minDiskBytes: null,
      minRamBytes: null,
      osDistro: null,
      osVersion: null,
      region: null,
      note: 'before upgrade',
      definitionName: null,
      raw: { groupUuid: 'g9', volumes },
    });
  });

  it('a group is unsized when any one volume is, and named by its uuid without a root name', () => {
    expect(mapBackupGroup('z', 'g', [volume({}), volume({ type: 'Data', size: 'n/a' })], 'UTC').sizeBytes).toBeNull();
    expect(mapBackupGroup('z', 'g', [volume({ name: undefined })], 'UTC').name).toBe('g');
    expect(mapBackupGroup('z', 'g', [], 'UTC')).toMatchObject({ instanceNativeId: null, name: 'g', sizeBytes: 0 });
  });

  it('drops groups that name no VM and keeps several groups of one VM', () => {
    const rows = [volume({ groupUuid: 'a' }), volume({ groupUuid: 'b' }), volume({ groupUuid: 'c', vmInstanceUuid: null })];
    const byVm = groupBackups('z', rows, 'UTC');
    expect([...byVm.keys()]).toEqual(['vm1']);
    expect(byVm.get('vm1')?.map((backup) => backup.nativeId)).toEqual(['a', 'b']);
  });

  it('maps an instance by uuid, named by its name or its uuid', () => {
    expect(mapInstance('z', { uuid: 'u1', name: 'web', state: 'Running', sessionId: 's' })).toEqual({ providerId: 'z', nativeId: 'u1', name: 'web', state: 'Running', raw: { uuid: 'u1', name: 'web', state: 'Running' } });
    expect(mapInstance('z', { uuid: 'u1' })).toMatchObject({ name: 'u1', state: null });
  });
});

describe('zstack: uuids split into query strings under a length', () => {
  it('puts as many uuids in each chunk as fit, each costing its encoded length and 3', () => {
    // overhead 10; each "abcd" costs 7: two fit in 24, three do not.
    expect(chunkForUrl(['abcd', 'efgh', 'ijkl', 'mnop', 'qrst'], 24, 10)).toEqual([['abcd', 'efgh'], ['ijkl', 'mnop'], ['qrst']]);
    expect(chunkForUrl(['abcd', 'efgh'], 23, 10)).toEqual([['abcd'], ['efgh']]);
    expect(chunkForUrl(['a b'], 100, 0)).toEqual([['a b']]);
    // "a b" encodes to "a%20b" (5, plus 3): two fill 16 exactly.
    expect(chunkForUrl(['a b', 'c d', 'e f'], 16, 0)).toEqual([['a b', 'c d'], ['e f']]);
  });

  it('never leaves a uuid out, even one longer than the limit, and makes no empty chunk', () => {
    expect(chunkForUrl(['x'.repeat(50), 'y'], 20, 5)).toEqual([['x'.repeat(50)], ['y']]);
    expect(chunkForUrl([], 20, 5)).toEqual([]);
  });
});

describe('zstack: a very large backup list', () => {
  // Grouping copied each group once per row: these took minutes (40,000 took 7.5 s), a stall for every client.
  it('groups 100,000 volume backups of one VM, and one group of 100,000 volumes, in one pass', () => {
    const rows = Array.from({ length: 100_000 }, (_, index) => ({ uuid: `u${index}`, groupUuid: `g${index}`, vmInstanceUuid: 'vm', type: 'Root', status: 'Ready', size: 1 }));
    const byVm = groupBackups('z', rows, 'UTC');
    expect(byVm.get('vm')).toHaveLength(100_000);
    expect(byVm.get('vm')?.[99_999]?.nativeId).toBe('g99999');
    const oneGroup = groupBackups('z', rows.map((row, index) => ({ ...row, groupUuid: 'g', type: index === 0 ? 'Root' : 'Data' })), 'UTC');
    expect(oneGroup.get('vm')).toHaveLength(1);
    expect(oneGroup.get('vm')?.[0]?.sizeBytes).toBe(100_000);
  });
});

describe('zstack: a backup group’s size', () => {
  const sizeOf = (...sizes: unknown[]) => mapBackupGroup('z', 'g', sizes.map((size, index) => ({ uuid: `u${index}`, type: index === 0 ? 'Root' : 'Data', vmInstanceUuid: 'vm', status: 'Ready', size })), 'UTC').sizeBytes;

  it('adds its volumes’ sizes when each is a whole, non-negative, safe number of bytes', () => {
    expect(sizeOf(1024, '2048', 0.4)).toBe(3072);
  });

  it('shows none when a size is missing, negative or too large, or the sum is past a safe integer (SafeInt refused it)', () => {
    expect([sizeOf(1e300, 1), sizeOf(-1, 2), sizeOf(2 ** 52, 2 ** 52), sizeOf(1, undefined), sizeOf('x')]).toEqual([null, null, null, null, null]);
  });
});
