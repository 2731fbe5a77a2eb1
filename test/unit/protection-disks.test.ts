import { describe, expect, it } from 'vitest';
import { protectionOf } from '../../src/domain/protection.js';
import type { Backup, BackupDefinition, BackupSchedule } from '../../src/domain/types.js';
import { mapSchedule } from '../../src/providers/onapp/mapper.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

const backup = (diskId: string | null, createdAt: Date): Backup => ({
  providerId: 'p', nativeId: `${diskId}-${createdAt.getTime()}`, instanceNativeId: 'vm', keyExtra: [], name: 'b', status: 'AVAILABLE', origin: null, mode: null, createdAt, sizeBytes: null,
  protected: false, diskId, minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
});
/** An OnApp daily schedule of one disk, as the mapper makes it. */
const onappSchedule = (diskId: string): BackupSchedule => mapSchedule('p', 'vm', diskId, { id: Number(diskId), action: 'autobackup', period: 'days', duration: 1, start_at: '2024-01-01T03:30:00Z' }, 'UTC');
const definition = (diskId: number, active = true): BackupDefinition => ({
  providerId: 'p', nativeId: `d${diskId}`, instanceNativeId: 'vm', keyExtra: [String(diskId)], name: `d${diskId}`, diskId, retention: 7, active,
  schedule: { providerId: 'p', nativeId: `d${diskId}`, instanceNativeId: 'vm', keyExtra: [String(diskId)], name: `d${diskId}`, cron: '0 2 * * *', timezone: 'UTC', enabled: true, cronDialect: 'celery', diskId: String(diskId), createdAt: null, raw: {} },
  compression: null, bandwidthLimit: null, description: null, node: null, zpool: null, fsfreeze: null, raw: {},
});

/**
 * OnApp schedules and Danube definitions back up one disk each. A recent
 * backup of a disk nothing schedules is not renewed, whatever runs on the
 * instance's other disks.
 */
describe('protection: the recent backup and the schedule must be of the same disk', () => {
  it('OnApp: a manual backup of the system disk an hour ago and a schedule of the data disk only is STALE, not PROTECTED', () => {
    const result = protectionOf({ backups: [backup('101', hoursAgo(1))], schedules: [onappSchedule('102')], definitions: null }, 24, NOW);
    expect(result).toMatchObject({ status: 'STALE', reason: 'RECENT_BACKUP_OTHER_DISK_SCHEDULED', scheduled: true });
    expect(result.nextRunAt).not.toBeNull();
  });

  it('OnApp: a recent backup of the scheduled disk is PROTECTED, whatever else the instance has', () => {
    const backups = [backup('101', hoursAgo(1)), backup('102', hoursAgo(5)), backup('102', hoursAgo(900))];
    expect(protectionOf({ backups, schedules: [onappSchedule('102')], definitions: null }, 24, NOW)).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED' });
    // Only an old one of the scheduled disk: STALE still.
    expect(protectionOf({ backups: [backup('101', hoursAgo(1)), backup('102', hoursAgo(900))], schedules: [onappSchedule('102')], definitions: null }, 24, NOW).status).toBe('STALE');
  });

  it('Danube: an active definition of disk 2 does not renew disk 1; an inactive one of disk 1 neither', () => {
    const backups = [backup('1', hoursAgo(2))];
    expect(protectionOf({ backups, schedules: null, definitions: [definition(2), definition(1, false)] }, 24, NOW)).toMatchObject({ status: 'STALE', reason: 'RECENT_BACKUP_OTHER_DISK_SCHEDULED' });
    expect(protectionOf({ backups, schedules: null, definitions: [definition(2), definition(1)] }, 24, NOW)).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED' });
  });

  it('where the disk is not known (a backup without one, a schedule without one), the instance is judged as a whole, as before', () => {
    expect(protectionOf({ backups: [backup(null, hoursAgo(1))], schedules: [onappSchedule('102')], definitions: null }, 24, NOW).status).toBe('PROTECTED');
    const { diskId: _dropped, ...noDisk } = onappSchedule('102');
    expect(protectionOf({ backups: [backup('101', hoursAgo(1))], schedules: [noDisk], definitions: null }, 24, NOW).status).toBe('PROTECTED');
  });
});
