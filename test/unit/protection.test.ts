import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { ZONE_KNOWN_FUTURE_TOLERANCE_HOURS, ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS, protectionOf, type ProtectionFacts } from '../../src/domain/protection.js';
import type { Backup, BackupDefinition, BackupSchedule } from '../../src/domain/types.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

const backup = (createdAt: Date | null, status: Backup['status'] = 'AVAILABLE', nativeId = String(createdAt?.getTime())): Backup => ({
  providerId: 'p', nativeId, instanceNativeId: 'vm', keyExtra: [], name: nativeId, status, origin: null, mode: null, createdAt, sizeBytes: null,
  protected: false, diskId: null, minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
});
const schedule = (cron: string): BackupSchedule => ({ providerId: 'p', nativeId: cron, instanceNativeId: 'vm', keyExtra: [], name: 's', cron, timezone: 'UTC', enabled: true, cronDialect: 'vixie', createdAt: null, raw: {} });
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

  it('a dated backup wins over an undated one; a date up to a day in the future (clock skew) counts as recent', () => {
    const dated = backup(hoursAgo(2));
    expect(judge({ backups: [backup(null, 'AVAILABLE', 'undated'), dated], schedules: [schedule('0 2 * * *')] }).lastBackup).toBe(dated);
    expect(judge({ backups: [backup(new Date(NOW.getTime() + 3_600_000))], schedules: [schedule('0 2 * * *')] }).status).toBe('PROTECTED');
    expect(judge({ backups: [backup(hoursAgo(-ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS))], schedules: [schedule('0 2 * * *')] })).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED' });
  });

  it('STALE: a backup dated more than a day in the future shows nothing about its age, as one without a date', () => {
    expect(ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS).toBe(24);
    const ahead = backup(new Date(hoursAgo(-ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS).getTime() + 1), 'AVAILABLE', 'ahead');
    expect(judge({ backups: [ahead], schedules: [schedule('0 2 * * *')] })).toMatchObject({ status: 'STALE', reason: 'BACKUP_DATED_IN_FUTURE', lastBackup: ahead, usableBackups: 1 });
    const farAhead = backup(new Date('9999-12-31T23:59:59.999Z'), 'AVAILABLE', 'far');
    expect(judge({ backups: [farAhead], schedules: [schedule('0 2 * * *')] })).toMatchObject({ status: 'STALE', reason: 'BACKUP_DATED_IN_FUTURE', lastBackup: farAhead });
    // Where schedules cannot be listed, the backup alone decides: still not PROTECTED.
    expect(judge({ backups: [farAhead], schedules: null, definitions: null })).toMatchObject({ status: 'STALE', reason: 'BACKUP_DATED_IN_FUTURE', scheduleKnown: false });
  });

  it('where the zone is known, two hours ahead is the most a date may be: a date further ahead proves nothing, and the believable ones decide', () => {
    expect(ZONE_KNOWN_FUTURE_TOLERANCE_HOURS).toBe(2);
    const judgeKnown = (backups: Backup[]) => protectionOf({ backups, schedules: [schedule('0 2 * * *')], definitions: null }, 24, NOW, ZONE_KNOWN_FUTURE_TOLERANCE_HOURS);
    const atEdge = backup(hoursAgo(-ZONE_KNOWN_FUTURE_TOLERANCE_HOURS), 'AVAILABLE', 'edge');
    expect(judgeKnown([atEdge])).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED', lastBackup: atEdge });
    const past = backup(new Date(hoursAgo(-ZONE_KNOWN_FUTURE_TOLERANCE_HOURS).getTime() + 1), 'AVAILABLE', 'past');
    expect(judgeKnown([past])).toMatchObject({ status: 'STALE', reason: 'BACKUP_DATED_IN_FUTURE', lastBackup: past });
    const old = backup(hoursAgo(30), 'AVAILABLE', 'old');
    expect(judgeKnown([past, old])).toMatchObject({ status: 'STALE', reason: 'BACKUP_TOO_OLD', lastBackup: old });
    // The same backup three hours ahead, where the zone is a guess: recent.
    expect(judge({ backups: [backup(hoursAgo(-3))], schedules: [schedule('0 2 * * *')] })).toMatchObject({ status: 'PROTECTED' });
  });

  it('a backup without a date never makes an instance PROTECTED, whatever is scheduled', () => {
    expect(judge({ backups: [backup(null)], schedules: [schedule('0 2 * * *')] })).toMatchObject({ status: 'STALE', reason: 'BACKUP_AGE_UNKNOWN' });
    expect(judge({ backups: [backup(null)], schedules: null, definitions: null })).toMatchObject({ status: 'STALE', reason: 'BACKUP_AGE_UNKNOWN' });
    expect(judge({ backups: [backup(null)], schedules: null, definitions: [definition('0 4 * * *', true)] })).toMatchObject({ status: 'STALE', reason: 'BACKUP_AGE_UNKNOWN' });
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

  it('UNKNOWN says whether schedules could be listed at all: not where neither schedules nor definitions are a provider\'s lists', () => {
    const failure = new GatewayError('PROVIDER_UNAVAILABLE', 'provider p is unavailable');
    expect(protectionOf({ backups: failure, schedules: null, definitions: null }, 24, NOW)).toMatchObject({ status: 'UNKNOWN', reason: 'PROVIDER_FAILED', scheduleKnown: false });
    expect(protectionOf({ backups: failure, schedules: null, definitions: [] }, 24, NOW)).toMatchObject({ status: 'UNKNOWN', reason: 'PROVIDER_FAILED', scheduleKnown: true });
  });
});

describe('the protection rule: which backup, which run', () => {
  it('the newest backup wins wherever it is in the list; of two with one date, the first', () => {
    const newest = backup(hoursAgo(1), 'AVAILABLE', 'newest');
    const older = backup(hoursAgo(5), 'AVAILABLE', 'older');
    expect(judge({ backups: [newest, older], schedules: [schedule('0 2 * * *')] }).lastBackup).toBe(newest);
    expect(judge({ backups: [older, newest], schedules: [schedule('0 2 * * *')] }).lastBackup).toBe(newest);
    const first = backup(hoursAgo(2), 'AVAILABLE', 'first');
    const second = backup(hoursAgo(2), 'AVAILABLE', 'second');
    expect(judge({ backups: [first, second], schedules: [schedule('0 2 * * *')] }).lastBackup).toBe(first);
  });

  it('a backup dated too far ahead never hides a believable one: the newest believable date wins, wherever it is', () => {
    const farAhead = backup(new Date('2099-01-01T00:00:00Z'), 'AVAILABLE', 'far');
    const recent = backup(hoursAgo(2), 'AVAILABLE', 'recent');
    const old = backup(hoursAgo(30), 'AVAILABLE', 'old');
    expect(judge({ backups: [farAhead, recent], schedules: [schedule('0 2 * * *')] })).toMatchObject({ status: 'PROTECTED', lastBackup: recent });
    expect(judge({ backups: [recent, farAhead], schedules: [schedule('0 2 * * *')] })).toMatchObject({ status: 'PROTECTED', lastBackup: recent });
    expect(judge({ backups: [farAhead, old], schedules: [schedule('0 2 * * *')] })).toMatchObject({ status: 'STALE', reason: 'BACKUP_TOO_OLD', lastBackup: old });
    // Even a date before the epoch is believable beside one too far ahead.
    const ancient = backup(new Date('1960-01-01T00:00:00Z'), 'AVAILABLE', 'ancient');
    expect(judge({ backups: [farAhead, ancient], schedules: [schedule('0 2 * * *')] })).toMatchObject({ reason: 'BACKUP_TOO_OLD', lastBackup: ancient });
    // Exactly at the tolerance is still believable, and newer than the rest.
    const atTolerance = backup(hoursAgo(-ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS), 'AVAILABLE', 'edge');
    expect(judge({ backups: [recent, atTolerance], schedules: [schedule('0 2 * * *')] }).lastBackup).toBe(atTolerance);
  });

  it('a backup dated too far ahead is named over an undated one, in either order; of two of a kind, the first', () => {
    const farAhead = backup(new Date('2099-01-01T00:00:00Z'), 'AVAILABLE', 'far');
    const fartherAhead = backup(new Date('2199-01-01T00:00:00Z'), 'AVAILABLE', 'farther');
    const undated = backup(null, 'AVAILABLE', 'undated');
    const undatedToo = backup(null, 'AVAILABLE', 'undated-too');
    expect(judge({ backups: [undated, farAhead], schedules: [schedule('0 2 * * *')] })).toMatchObject({ reason: 'BACKUP_DATED_IN_FUTURE', lastBackup: farAhead });
    expect(judge({ backups: [farAhead, undated], schedules: [schedule('0 2 * * *')] })).toMatchObject({ reason: 'BACKUP_DATED_IN_FUTURE', lastBackup: farAhead });
    expect(judge({ backups: [farAhead, fartherAhead], schedules: [schedule('0 2 * * *')] }).lastBackup).toBe(farAhead);
    expect(judge({ backups: [undated, undatedToo], schedules: [schedule('0 2 * * *')] }).lastBackup).toBe(undated);
  });

  it('a dated backup is not displaced by an undated one after it', () => {
    const dated = backup(hoursAgo(2), 'AVAILABLE', 'dated');
    expect(judge({ backups: [dated, backup(null, 'AVAILABLE', 'undated')], schedules: [schedule('0 2 * * *')] }).lastBackup).toBe(dated);
  });

  it('the next run is the earliest of all schedules, wherever it is in the list', () => {
    const result = judge({ backups: [backup(hoursAgo(1))], schedules: [schedule('30 13 * * *'), schedule('0 2 * * *'), schedule('0 12 * * 0')] });
    expect(result.nextRunAt?.toISOString()).toBe('2026-03-10T13:30:00.000Z');
    const reversed = judge({ backups: [backup(hoursAgo(1))], schedules: [schedule('0 2 * * *'), schedule('30 13 * * *')] });
    expect(reversed.nextRunAt?.toISOString()).toBe('2026-03-10T13:30:00.000Z');
  });

  it('a schedule whose cron never fires (or never parses) schedules nothing', () => {
    const result = judge({ backups: [backup(hoursAgo(1))], schedules: [schedule('61 * * * *')] });
    expect(result).toMatchObject({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED', scheduled: false, nextRunAt: null });
    const mixed = judge({ backups: [backup(hoursAgo(1))], schedules: [schedule('61 * * * *'), schedule('0 2 * * *')] });
    expect(mixed).toMatchObject({ status: 'PROTECTED', scheduled: true });
    expect(mixed.nextRunAt?.toISOString()).toBe('2026-03-11T02:00:00.000Z');
  });

  it('where the provider has definitions but no schedules (Danube), schedules are known', () => {
    const result = judge({ backups: [backup(hoursAgo(1))], schedules: null, definitions: [definition('0 4 * * *', true)] });
    expect(result).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED', scheduleKnown: true, scheduled: true });
  });
});

describe('definitions keeping no backups', () => {
  it('an active definition with retention 0 schedules nothing: a recent backup is STALE, none is UNPROTECTED', () => {
    const keepsNone = { ...definition('0 2 * * *', true), retention: 0 };
    expect(judge({ backups: [backup(hoursAgo(1))], schedules: null, definitions: [keepsNone] })).toMatchObject({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED', scheduled: false, nextRunAt: null });
    expect(judge({ backups: [], schedules: null, definitions: [keepsNone] })).toMatchObject({ status: 'UNPROTECTED', reason: 'NO_BACKUP_NOTHING_SCHEDULED' });
    expect(judge({ backups: [backup(hoursAgo(1))], schedules: null, definitions: [{ ...keepsNone, retention: 1 }] }).status).toBe('PROTECTED');
  });
});
