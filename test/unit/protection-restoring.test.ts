import { describe, expect, it } from 'vitest';
import { protectionOf, type ProtectionFacts } from '../../src/domain/protection.js';
import type { Backup, BackupSchedule } from '../../src/domain/types.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

const backup = (createdAt: Date | null, status: Backup['status'] = 'AVAILABLE', nativeId = String(createdAt?.getTime())): Backup => ({
  providerId: 'p', nativeId, instanceNativeId: 'vm', keyExtra: [], name: nativeId, status, origin: null, mode: null, createdAt, sizeBytes: null,
  protected: false, diskId: null, minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
});
const schedule = (cron: string): BackupSchedule => ({ providerId: 'p', nativeId: cron, instanceNativeId: 'vm', keyExtra: [], name: 's', cron, timezone: 'UTC', enabled: true, cronDialect: 'vixie', createdAt: null, raw: {} });
const judge = (facts: Partial<ProtectionFacts>, rpoHours = 24) => protectionOf({ backups: [], schedules: [], definitions: null, ...facts }, rpoHours, NOW);

describe('a backup being restored from is there to restore', () => {
  it('counts as the newest usable backup: PROTECTED while the restore runs', () => {
    const restoring = backup(hoursAgo(2), 'RESTORING');
    expect(judge({ backups: [restoring], schedules: [schedule('0 2 * * *')] })).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED', lastBackup: restoring, usableBackups: 1 });
  });
});
