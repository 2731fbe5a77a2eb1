import { describe, expect, it } from 'vitest';
import { protectionOf } from '../../src/domain/protection.js';
import { nextRunOf } from '../../src/domain/schedule.js';
import type { Backup, BackupSchedule } from '../../src/domain/types.js';
import { mapDefinition } from '../../src/providers/danube/mapper.js';
import { autobackupsOn, keepsBackups, mapSchedule, scheduleEnabled } from '../../src/providers/onapp/mapper.js';

const NOW = new Date('2026-03-10T12:00:00Z');

const onappRow = (status?: unknown) => ({ id: 7, action: 'autobackup', duration: 1, period: 'days', start_at: '2024-01-01T03:30:00Z', created_at: '2024-01-01T00:00:00Z', ...(status === undefined ? {} : { status }) });
const recentBackup: Backup = {
  providerId: 'p', nativeId: 'b', instanceNativeId: '1', keyExtra: [], name: 'b', status: 'AVAILABLE', origin: null, mode: null, createdAt: new Date(NOW.getTime() - 3_600_000), sizeBytes: null,
  protected: false, diskId: '11', minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
};

describe('a schedule the provider has switched off', () => {
  it('OnApp: only status "enabled" (any case) or no status runs; "disabled" and unknown words do not', () => {
    expect([undefined, null, 'enabled', ' Enabled '].map(scheduleEnabled)).toEqual([true, true, true, true]);
    expect(['disabled', 'paused', '', 1, true, ['enabled']].map(scheduleEnabled)).toEqual([false, false, false, false, false, false]);
  });

  it('OnApp: a disabled schedule maps with enabled false and has no next run; an enabled one maps with enabled true and runs', () => {
    const disabled = mapSchedule('p', '1', '11', onappRow('disabled'), 'UTC');
    expect(disabled.enabled).toBe(false);
    expect(nextRunOf(disabled, NOW)).toBeNull();
    const enabled = mapSchedule('p', '1', '11', onappRow('enabled'), 'UTC');
    expect(enabled.enabled).toBe(true);
    expect(nextRunOf(enabled, NOW)?.toISOString()).toBe('2026-03-11T03:30:00.000Z');
  });

  it('OnApp: a disk\'s has_autobackups reads on only as true, "true" or 1 (or not said); anything else is off', () => {
    expect([undefined, null, true, 'true', ' TRUE ', 1, '1'].map(autobackupsOn)).toEqual([true, true, true, true, true, true, true]);
    expect([false, 'false', 0, '0', '', 'yes', {}, [true]].map(autobackupsOn)).toEqual([false, false, false, false, false, false, false, false]);
  });

  it('OnApp: a rotation_period keeps backups only as a whole number of 1 or more (or not said)', () => {
    expect([undefined, null, 1, 7, '7', ' 30 '].map(keepsBackups)).toEqual([true, true, true, true, true, true]);
    expect([0, '0', -1, 1.5, '1.5', Number.POSITIVE_INFINITY, '', 'seven', {}, [7]].map(keepsBackups)).toEqual([false, false, false, false, false, false, false, false, false, false]);
  });

  it('OnApp: a schedule of a disk whose auto-backups are off, or keeping no backup, maps with enabled false and has no next run', () => {
    expect(nextRunOf(mapSchedule('p', '1', '11', onappRow('enabled'), 'UTC', false), NOW)).toBeNull();
    expect(nextRunOf(mapSchedule('p', '1', '11', { ...onappRow('enabled'), rotation_period: 0 }, 'UTC'), NOW)).toBeNull();
    expect(mapSchedule('p', '1', '11', { ...onappRow('enabled'), rotation_period: 7 }, 'UTC', true).enabled).toBe(true);
  });

  it('Danube: an inactive definition\'s schedule has no next run; an active one has', () => {
    const row = { hostname: 'vm1', name: 'daily', disk_id: 1, schedule: '0 4 * * *', retention: 7 };
    expect(nextRunOf(mapDefinition('p', { ...row, active: false }).schedule, NOW)).toBeNull();
    expect(nextRunOf(mapDefinition('p', { ...row, active: true }).schedule, NOW)?.toISOString()).toBe('2026-03-11T04:00:00.000Z');
  });

  it('protection: a disabled schedule schedules nothing (recent backup: STALE; none: UNPROTECTED)', () => {
    const off: BackupSchedule = { ...mapSchedule('p', '1', '11', onappRow('disabled'), 'UTC') };
    const facts = (backups: Backup[]) => ({ backups, schedules: [off], definitions: null });
    expect(protectionOf(facts([recentBackup]), 24, NOW)).toMatchObject({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED', scheduled: false, nextRunAt: null });
    expect(protectionOf(facts([]), 24, NOW)).toMatchObject({ status: 'UNPROTECTED', reason: 'NO_BACKUP_NOTHING_SCHEDULED', scheduled: false });
  });
});

describe('a Danube definition without a schedule', () => {
  it('protects nothing: Danube sends null when no Celery task runs it (it read daily at midnight, PROTECTED beside a recent backup)', () => {
    const noSchedule = mapDefinition('p', { hostname: '1', name: 'daily', disk_id: 1, schedule: null, retention: 7 });
    expect(protectionOf({ backups: [{ ...recentBackup, diskId: '1' }], schedules: null, definitions: [noSchedule] }, 24, NOW)).toMatchObject({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED', scheduled: false });
  });
});
