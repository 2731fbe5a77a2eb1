import { describe, expect, it } from 'vitest';
import { parseUtcDate } from '../../src/domain/provider-dates.js';
import { mapBackup, mapInstance, mapSchedule } from '../../src/providers/onapp/mapper.js';
import { groupBackups } from '../../src/providers/zstack/mapper.js';

describe('mappers: the edges', () => {
  it('OnApp records that hold only their id map to it, named after it', () => {
    expect(mapInstance('o', { id: 4 })).toMatchObject({ nativeId: '4', name: '4' });
    expect(mapBackup('o', 'vm', { id: 5 })).toMatchObject({ nativeId: '5', name: 'backup-5' });
    expect(mapSchedule('o', 'vm', 'disk', { id: 6 }, 'UTC').nativeId).toBe('6');
  });

  it('ZStack groups keep their status: a ready group read from rows is AVAILABLE', () => {
    const rows = [
      { groupUuid: 'a', vmInstanceUuid: 'vm1', type: 'Root', status: 'Ready', size: 1 },
      { groupUuid: 'a', vmInstanceUuid: 'vm1', type: 'Data', status: 'Ready', size: 2 },
    ];
    expect(groupBackups('z', rows, 'UTC').get('vm1')?.[0]).toMatchObject({ status: 'AVAILABLE', sizeBytes: 3 });
  });

  it('a five-digit year is not read as its last four digits, nor as any date', () => {
    expect(parseUtcDate('12024-07-23')).toBeNull();
    expect(parseUtcDate('12024-07-23 10:20:30')).toBeNull();
  });
});
