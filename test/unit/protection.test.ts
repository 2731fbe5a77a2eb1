import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { protectionOf, type ProtectionFacts } from '../../src/domain/protection.js';
import type { Backup, BackupDefinition, BackupSchedule } from '../../src/domain/types.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

const backup = (createdAt: Date | null, status: Backup['status'] = 'AVAILABLE', nativeId = String(createdAt?.getTime())): Backup => ({
  providerId: 'p', nativeId, instanceNativeId: 'vm', keyExtra: [], name: nativeId, status, origin: null, mode: null, createdAt, sizeBytes: null,
  protected: false, diskId: null, minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
});
const schedule = (cron: string): BackupSchedule => ({ providerId: 'p', nativeId: cron, instanceNativeId: 'vm', keyExtra: [], name: 's', cron, timezone: 'UTC', createdAt: null, raw: {} });
const definition = (cron: string, active: boolean): BackupDefinition => ({
  providerId: 'p', nativeId: cron, instanceNativeId: 'vm', keyExtra: [], name: 'd', diskId: 1, schedule: schedule(cron), retention: 7, active,
  compression: null, bandwidthLimit: null, description: null, node: null, zpool: null, fsfreeze: null, raw: {},
});

const judge = (facts: Partial<ProtectionFacts>, rpoHours = 24) => protectionOf({ backups: [], schedules: [], definitions: null, ...facts }, rpoHours, NOW);

describe('the protection rule (fixed now)', () => {
  it('PROTECTED: a usable backup within the objective and a schedule; the newest one and the next run are named', () => {
    const newest = backup(hoursAgo(3));
    const result = judge({ backups: [backup(hoursAgo(30)), newest, backup(hoursAgo(1), 'FAILED')], schedules: [schedule('0 2 * * *'), schedule('30 13 * * *')] });
    expect(result).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED', lastBackup: newest, usableBackups: 2, scheduled: true, scheduleKnown: true, error: null });
    expect(result.nextRunAt?.toISOString()).toBe('2026-03-10T13:30:00.000Z');
  });

  it('the objective is a boundary: exactly rpoHours old is still within it, a second more is not', () => {
    const schedules = [schedule('0 2 * * *')];
    expect(judge({ backups: [backup(hoursAgo(24))], schedules }).status).toBe('PROTECTED');
    expect(judge({ backups: [backup(new Date(hoursAgo(24).getTime() - 1000))], schedules })).toMatchObject({ status: 'STALE', reason: 'BACKUP_TOO_OLD' });
    expect(judge({ backups: [backup(hoursAgo(30))], schedules }, 48).status).toBe('PROTECTED');
  });

  it('STALE: no usable backup while a schedule exists; a recent one with nothing scheduled; one without a date', () => {
    expect(judge({ backups: [backup(hoursAgo(1), 'CREATING')], schedules: [schedule('0 2 * * *')] })).toMatchObject({ status: 'STALE', reason: 'NO_BACKUP_YET', lastBackup: null, usableBackups: 0 });
    expect(judge({ backups: [backup(hoursAgo(1))], schedules: [] })).toMatchObject({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED', scheduled: false, nextRunAt: null });
    expect(judge({ backups: [backup(null)], schedules: [schedule('0 2 * * *')] })).toMatchObject({ status: 'STALE', reason: 'BACKUP_AGE_UNKNOWN' });
  });

  it('a dated backup wins over an undated one; a date in the future counts as recent', () => {
    const dated = backup(hoursAgo(2));
    expect(judge({ backups: [backup(null, 'AVAILABLE', 'undated'), dated], schedules: [schedule('0 2 * * *')] }).lastBackup).toBe(dated);
    expect(judge({ backups: [backup(new Date(NOW.getTime() + 3_600_000))], schedules: [schedule('0 2 * * *')] }).status).toBe('PROTECTED');
  });

  it('UNPROTECTED: no usable backup and nothing scheduled', () => {
    expect(judge({ backups: [backup(hoursAgo(1), 'FAILED')], schedules: [] })).toMatchObject({ status: 'UNPROTECTED', reason: 'NO_BACKUP_NOTHING_SCHEDULED', usableBackups: 0 });
  });

  it('definitions, where the provider has them, say what runs: an inactive one runs nothing', () => {
    const backups = [backup(hoursAgo(1))];
    expect(judge({ backups, schedules: [schedule('0 4 * * *')], definitions: [definition('0 4 * * *', false)] })).toMatchObject({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED' });
    const active = judge({ backups, schedules: [schedule('0 4 * * *')], definitions: [definition('0 4 * * *', false), definition('30 4 * * 6', true)] });
    expect(active).toMatchObject({ status: 'PROTECTED', scheduled: true });
    expect(active.nextRunAt?.toISOString()).toBe('2026-03-14T04:30:00.000Z');
  });

  it('where the provider lists no schedules, the status rests on backups alone and says so', () => {
    const unknownSchedules = { schedules: null, definitions: null };
    expect(judge({ ...unknownSchedules, backups: [backup(hoursAgo(1))] })).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULE_NOT_LISTED', scheduleKnown: false, scheduled: null });
    expect(judge({ ...unknownSchedules, backups: [backup(hoursAgo(100))] })).toMatchObject({ status: 'STALE', reason: 'BACKUP_TOO_OLD', scheduleKnown: false });
    expect(judge({ ...unknownSchedules, backups: [] })).toMatchObject({ status: 'UNPROTECTED', reason: 'NO_BACKUP_SCHEDULE_NOT_LISTED', scheduleKnown: false });
  });

  it('UNKNOWN when any list failed, with nothing guessed', () => {
    const failure = new GatewayError('PROVIDER_UNAVAILABLE', 'provider p is unavailable');
    for (const facts of [{ backups: failure }, { schedules: failure }, { definitions: failure, backups: [backup(hoursAgo(1))] }]) {
      expect(judge(facts)).toEqual({ status: 'UNKNOWN', reason: 'PROVIDER_FAILED', rpoHours: 24, scheduleKnown: true, lastBackup: null, nextRunAt: null, scheduled: null, usableBackups: null, error: failure });
    }
  });
});
