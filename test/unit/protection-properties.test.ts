import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS, protectionOf, type ProtectionFacts } from '../../src/domain/protection.js';
import type { Backup, BackupSchedule } from '../../src/domain/types.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const HOUR_MS = 3_600_000;
const STATUSES: Backup['status'][] = ['PENDING', 'CREATING', 'AVAILABLE', 'RESTORING', 'DELETING', 'FAILED', 'UNKNOWN'];
/** A backup there to restore: AVAILABLE, or being restored from (RESTORING), which the restore leaves in place. */
const usable = (status: Backup['status']): boolean => status === 'AVAILABLE' || status === 'RESTORING';

const backup = (index: number, status: Backup['status'], offsetMs: number | null, diskId: string | null): Backup => ({
  providerId: 'p', nativeId: `b${index}`, instanceNativeId: 'vm', keyExtra: [], name: 'b', status, origin: null, mode: null,
  createdAt: offsetMs === null ? null : new Date(NOW.getTime() + offsetMs), sizeBytes: null, protected: false, diskId,
  minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
});
const schedule = (diskId: string | undefined): BackupSchedule => ({
  providerId: 'p', nativeId: `s${diskId}`, instanceNativeId: 'vm', keyExtra: [], name: 's', cron: '0 2 * * *', timezone: 'UTC', enabled: true, cronDialect: 'vixie', ...(diskId === undefined ? {} : { diskId }), createdAt: null, raw: {},
});

/** Offsets around the edges that matter: the objective, now, the future tolerance; and anywhere within ten years. */
const offset = fc.oneof(
  fc.integer({ min: -10 * 8_760 * HOUR_MS, max: 10 * 8_760 * HOUR_MS }),
  fc.constantFrom(0, -24 * HOUR_MS, -24 * HOUR_MS - 1, -24 * HOUR_MS + 1, ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS * HOUR_MS, ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS * HOUR_MS + 1),
);
const disk = fc.constantFrom<string | null>(null, '1', '2');
const facts = fc.record({
  backups: fc.array(fc.record({ status: fc.constantFrom(...STATUSES), offset: fc.option(offset, { nil: null }), disk }), { maxLength: 6 }),
  schedules: fc.option(fc.array(fc.constantFrom<string | undefined>(undefined, '1', '2'), { maxLength: 3 }), { nil: null }),
  rpoHours: fc.integer({ min: 1, max: 87_600 }),
});
type Drawn = { status: Backup['status']; offset: number | null; disk: string | null; index?: number };
const toFacts = (input: { backups: Drawn[]; schedules: Array<string | undefined> | null }): ProtectionFacts => ({
  backups: input.backups.map((item, index) => backup(item.index ?? index, item.status, item.offset, item.disk)),
  schedules: input.schedules === null ? null : input.schedules.map(schedule),
  definitions: null,
});

describe('protection rule: properties', () => {
  it('PROTECTED only with a usable backup dated within [now - rpoHours, now + tolerance], and never while nothing is scheduled', () => {
    fc.assert(
      fc.property(facts, (input) => {
        const result = protectionOf(toFacts(input), input.rpoHours, NOW);
        if (result.status !== 'PROTECTED') return;
        expect(result.scheduled).not.toBe(false);
        const recent = input.backups.some((item) => usable(item.status) && item.offset !== null && item.offset >= -input.rpoHours * HOUR_MS && item.offset <= ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS * HOUR_MS);
        expect(recent).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('a longer objective never takes PROTECTED away', () => {
    fc.assert(
      fc.property(facts, fc.integer({ min: 0, max: 1_000 }), (input, more) => {
        const shorter = protectionOf(toFacts(input), input.rpoHours, NOW);
        const longer = protectionOf(toFacts(input), Math.min(87_600, input.rpoHours + more), NOW);
        if (shorter.status === 'PROTECTED') expect(longer.status).toBe('PROTECTED');
      }),
      { numRuns: 1_000 },
    );
  });

  it('backups in any status but AVAILABLE and RESTORING change nothing', () => {
    fc.assert(
      fc.property(facts, (input) => {
        // Each backup keeps its id: the rule names the first of equals, so ids tell which.
        const usableOnly = { ...input, backups: input.backups.map((item, index) => ({ ...item, index })).filter((item) => usable(item.status)) };
        const all = protectionOf(toFacts(input), input.rpoHours, NOW);
        const ofUsable = protectionOf(toFacts(usableOnly), input.rpoHours, NOW);
        expect([all.status, all.reason, all.lastBackup?.nativeId, all.usableBackups]).toEqual([ofUsable.status, ofUsable.reason, ofUsable.lastBackup?.nativeId, ofUsable.usableBackups]);
      }),
      { numRuns: 1_000 },
    );
  });

  it('UNPROTECTED only without any usable backup; UNKNOWN never without a failed list', () => {
    fc.assert(
      fc.property(facts, (input) => {
        const result = protectionOf(toFacts(input), input.rpoHours, NOW);
        expect(result.status).not.toBe('UNKNOWN');
        if (result.status === 'UNPROTECTED') expect(result.usableBackups).toBe(0);
      }),
      { numRuns: 1_000 },
    );
  });
});
