import { describe, expect, it } from 'vitest';
import { protectionOf, ZONE_KNOWN_FUTURE_TOLERANCE_HOURS } from '../../src/domain/protection.js';
import type { Backup, BackupSchedule } from '../../src/domain/types.js';
import { mapSchedule } from '../../src/providers/onapp/mapper.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const HOUR_MS = 3_600_000;
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * HOUR_MS);

const backup = (diskId: string, createdAt: Date | null): Backup => ({
  providerId: 'p', nativeId: `${diskId}-${createdAt?.getTime() ?? 'undated'}`, instanceNativeId: 'vm', keyExtra: [], name: 'b', status: 'AVAILABLE', origin: null, mode: null, createdAt, sizeBytes: null,
  protected: false, diskId, minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
});
/** An OnApp daily schedule of disk 102, as the mapper makes it. */
const dataDiskSchedule = (): BackupSchedule => mapSchedule('p', 'vm', '102', { id: 102, action: 'autobackup', period: 'days', duration: 1, start_at: '2024-01-01T03:30:00Z' }, 'UTC');
const judge = (backups: Backup[]) => protectionOf({ backups, schedules: [dataDiskSchedule()], definitions: null }, 24, NOW, ZONE_KNOWN_FUTURE_TOLERANCE_HOURS);

/**
 * Where schedules name disks, PROTECTED needs a backup of a scheduled disk that
 * is recent by the same bounds as the newest backup: within the objective, and
 * dated no further ahead than the future tolerance.
 */
describe('protection: which backups of the scheduled disk count as recent', () => {
  it('an undated backup of the scheduled disk listed first is passed over, not read: the recent one after it is PROTECTED', () => {
    expect(judge([backup('102', null), backup('102', hoursAgo(1))])).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED' });
    expect(judge([backup('102', null), backup('101', hoursAgo(1))])).toMatchObject({ status: 'STALE', reason: 'RECENT_BACKUP_OTHER_DISK_SCHEDULED' });
  });

  it('one exactly the objective old counts, as the newest backup does; a millisecond older does not', () => {
    expect(judge([backup('102', hoursAgo(24))])).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED' });
    const older = new Date(hoursAgo(24).getTime() - 1);
    expect(judge([backup('101', hoursAgo(1)), backup('102', older)])).toMatchObject({ status: 'STALE', reason: 'RECENT_BACKUP_OTHER_DISK_SCHEDULED' });
  });

  it('one dated exactly the future tolerance ahead counts; further ahead it is a wrong date and does not, beside a recent backup of another disk', () => {
    const atTolerance = new Date(NOW.getTime() + ZONE_KNOWN_FUTURE_TOLERANCE_HOURS * HOUR_MS);
    expect(judge([backup('102', atTolerance)])).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED' });
    const yearsAhead = new Date(NOW.getTime() + 3 * 365 * 24 * HOUR_MS);
    expect(judge([backup('101', hoursAgo(1)), backup('102', yearsAhead)])).toMatchObject({ status: 'STALE', reason: 'RECENT_BACKUP_OTHER_DISK_SCHEDULED' });
  });

  it('an old backup of the scheduled disk does not count beside a recent one of another disk', () => {
    expect(judge([backup('101', hoursAgo(1)), backup('102', hoursAgo(24 * 30))])).toMatchObject({ status: 'STALE', reason: 'RECENT_BACKUP_OTHER_DISK_SCHEDULED' });
  });
});
