import { describe, expect, it } from 'vitest';
import { protectionOf } from '../../src/domain/protection.js';
import type { Backup, BackupDefinition } from '../../src/domain/types.js';
import { mapDefinition } from '../../src/providers/danube/mapper.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

const backup = (createdAt: Date): Backup => ({
  providerId: 'd', nativeId: `daily-${createdAt.getTime()}`, instanceNativeId: 'web01', keyExtra: ['1'], name: 'daily', status: 'AVAILABLE', origin: 'SCHEDULED', mode: 'FULL', createdAt, sizeBytes: null,
  protected: false, diskId: '1', minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: 'daily', raw: {},
});
/** A daily definition of disk 1 as the Danube mapper reads it; `retention` left out when undefined. */
const definition = (name: string, retention: number | undefined): BackupDefinition =>
  mapDefinition('d', { hostname: 'web01', name, disk_id: 1, schedule: '0 4 * * *', active: true, ...(retention === undefined ? {} : { retention }) });

/**
 * Danube's API requires a retention ("required - Maximum number of backups to
 * keep"); a definition record without one read as 0, "keeps nothing", and a VM
 * whose only definition ran daily read RECENT_BACKUP_NOTHING_SCHEDULED.
 */
describe('protection: a Danube definition that gives no retention', () => {
  it('a recent backup beside it alone is UNKNOWN RETENTION_UNKNOWN (it runs, but whether it keeps what it makes is not known), never PROTECTED', () => {
    const result = protectionOf({ backups: [backup(hoursAgo(1))], schedules: null, definitions: [definition('daily', undefined)] }, 24, NOW);
    expect(result).toMatchObject({ status: 'UNKNOWN', reason: 'RETENTION_UNKNOWN', scheduled: true, usableBackups: 1, error: null });
    expect(result.nextRunAt).toEqual(new Date('2026-03-11T04:00:00Z'));
    expect(result.lastBackup?.createdAt).toEqual(hoursAgo(1));
  });

  it('no backup yet beside it: UNKNOWN too (STALE if it keeps them, UNPROTECTED if it keeps none)', () => {
    expect(protectionOf({ backups: [], schedules: null, definitions: [definition('daily', undefined)] }, 24, NOW)).toMatchObject({ status: 'UNKNOWN', reason: 'RETENTION_UNKNOWN', scheduled: true });
  });

  it('where the verdict does not turn on it, the verdict stands, counting the definition as running', () => {
    // A backup years old is STALE whether the definition keeps backups or not.
    expect(protectionOf({ backups: [backup(hoursAgo(24 * 400))], schedules: null, definitions: [definition('daily', undefined)] }, 24, NOW)).toMatchObject({ status: 'STALE', reason: 'BACKUP_TOO_OLD', scheduled: true });
    // Another definition of the disk keeps seven: PROTECTED by it alone.
    expect(protectionOf({ backups: [backup(hoursAgo(1))], schedules: null, definitions: [definition('daily', undefined), definition('weekly', 7)] }, 24, NOW)).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED' });
  });

  it('one such definition among others that give theirs is still judged both ways: UNKNOWN where the verdict turns on it', () => {
    // Disk 1's only definition gives no retention; disk 2's keeps seven. Kept: PROTECTED; kept none: only another disk is scheduled.
    const otherDisk = mapDefinition('d', { hostname: 'web01', name: 'disk2', disk_id: 2, schedule: '0 4 * * *', active: true, retention: 7 });
    const result = protectionOf({ backups: [backup(hoursAgo(1))], schedules: null, definitions: [definition('daily', undefined), otherDisk] }, 24, NOW);
    expect(result).toMatchObject({ status: 'UNKNOWN', reason: 'RETENTION_UNKNOWN', scheduled: true });
  });

  it('a retention given as 0 still keeps nothing: STALE, nothing scheduled', () => {
    expect(protectionOf({ backups: [backup(hoursAgo(1))], schedules: null, definitions: [definition('daily', 0)] }, 24, NOW)).toMatchObject({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED', scheduled: false });
  });
});
