import { describe, expect, it } from 'vitest';
import { protectionOf } from '../../src/domain/protection.js';
import type { Backup, BackupDefinition } from '../../src/domain/types.js';
import { mapDefinition } from '../../src/providers/danube/mapper.js';

const NOW = new Date('2026-03-10T12:00:00Z');

const backupOfDisk = (diskId: string): Backup => ({
  providerId: 'd', nativeId: `b-${diskId}`, instanceNativeId: 'web01', keyExtra: [diskId], name: 'manual', status: 'AVAILABLE', origin: 'MANUAL', mode: 'FULL', createdAt: new Date(NOW.getTime() - 3_600_000), sizeBytes: null,
  protected: false, diskId, minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
});
/** A daily definition of disk 1 that gives no retention, as the Danube mapper reads it. */
const noRetention = (): BackupDefinition => mapDefinition('d', { hostname: 'web01', name: 'daily', disk_id: 1, schedule: '0 4 * * *', active: true });

/**
 * Judged both ways, a definition without a retention gives its reason only
 * where the two agree in status and reason: each reason is a claim (another
 * disk is scheduled; nothing is), and where they differ neither can be
 * vouched for. Where both are STALE, the status itself is certain.
 */
describe('protection: a definition without a retention, judged both ways to the same status for different reasons', () => {
  it('a recent backup of disk 2 beside it: STALE either way (disk 1 scheduled, or nothing), answered STALE STALE_EITHER_RETENTION with the backup it judged', () => {
    const result = protectionOf({ backups: [backupOfDisk('2')], schedules: null, definitions: [noRetention()] }, 24, NOW);
    expect(result).toMatchObject({ status: 'STALE', reason: 'STALE_EITHER_RETENTION', scheduled: true, error: null, lastBackup: { nativeId: 'b-2' } });
  });

  it('where the statuses differ (a recent backup of its own disk: PROTECTED kept, STALE not), still UNKNOWN RETENTION_UNKNOWN, never PROTECTED', () => {
    const result = protectionOf({ backups: [backupOfDisk('1')], schedules: null, definitions: [noRetention()] }, 24, NOW);
    expect(result).toMatchObject({ status: 'UNKNOWN', reason: 'RETENTION_UNKNOWN', scheduled: true, error: null });
  });
});
