import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protectionOf } from '../../src/domain/protection.js';
import { nextRepeatRun } from '../../src/domain/schedule-repeat.js';
import type { BackupSchedule } from '../../src/domain/types.js';
import { mapSchedule } from '../../src/providers/onapp/mapper.js';

const DAY_MS = 86_400_000;
const onapp = (row: Record<string, unknown>, timezone = 'UTC'): BackupSchedule => mapSchedule('onapp', '7', '11', { id: 1, action: 'autobackup', ...row }, timezone);
/** nextRunAt as the protection view reports it for an instance with this one schedule. */
const nextRun = (schedule: BackupSchedule, now: string): string | undefined =>
  protectionOf({ backups: [], schedules: [schedule], definitions: null }, 24, new Date(now)).nextRunAt?.toISOString();

/**
 * OnApp repeats a schedule every `duration` `period`s from its start_at. For
 * a duration above 1 no cron says that; the cron the gateway showed made
 * nextRunAt name runs OnApp never makes.
 */
describe('OnApp schedules every N periods: the next run counts from start_at', () => {
  it('every 2 days from the 2nd runs on the 4th, not "tomorrow" the 3rd (day-of-month step 2 is the odd days)', () => {
    expect(nextRun(onapp({ period: 'days', duration: 2, start_at: '2024-01-02T03:30:00Z' }), '2024-01-02T12:00:00Z')).toBe('2024-01-04T03:30:00.000Z');
    // Across a month's end: 2 January + 30 days is 1 February (not the 31st, then the 1st again).
    expect(nextRun(onapp({ period: 'days', duration: 2, start_at: '2024-01-02T03:30:00Z' }), '2024-01-30T12:00:00Z')).toBe('2024-02-01T03:30:00.000Z');
  });

  it('every 2 weeks skips the week between; every 3 months counts from the start month; every 2 years skips a year', () => {
    expect(nextRun(onapp({ period: 'weeks', duration: 2, start_at: '2024-01-01T03:30:00Z' }), '2024-01-02T12:00:00Z')).toBe('2024-01-15T03:30:00.000Z');
    expect(nextRun(onapp({ period: 'months', duration: 3, start_at: '2024-02-03T03:30:00Z' }), '2024-02-04T12:00:00Z')).toBe('2024-05-03T03:30:00.000Z');
    expect(nextRun(onapp({ period: 'years', duration: 2, start_at: '2023-07-03T03:30:00Z' }), '2023-08-01T00:00:00Z')).toBe('2025-07-03T03:30:00.000Z');
  });

  it('every 1 period is still its cron (no repeat kept)', () => {
    expect(onapp({ period: 'days', duration: 1, start_at: '2024-01-02T03:30:00Z' }).repeat).toBeUndefined();
    expect(nextRun(onapp({ period: 'days', duration: 1, start_at: '2024-01-02T03:30:00Z' }), '2024-01-02T12:00:00Z')).toBe('2024-01-03T03:30:00.000Z');
  });

  it('on the account wall clock across DST: the spring gap runs at the jump, the autumn repeat runs once, at its first showing', () => {
    const everyOther = onapp({ period: 'days', duration: 2, start_at: '2024-01-01T01:30:00Z' }, 'Europe/Berlin'); // 02:30 CET
    expect(nextRun(everyOther, '2026-03-28T12:00:00Z')).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST, as cron runs a daily 02:30 (see wallTimeRun)
    expect(nextRun(everyOther, '2026-10-24T12:00:00Z')).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST, the first 02:30
    // Between the two 02:30s the day's run has been made: the next is two days on, not the second 02:30.
    expect(nextRun(everyOther, '2026-10-25T00:45:00Z')).toBe('2026-10-27T01:30:00.000Z');
  });

  it('property: every N days, the next run is after now, within one step, and a whole number of steps from the start (UTC)', () => {
    const arbitrary = fc.record({
      fromMs: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2030, 0, 1) }),
      every: fc.integer({ min: 1, max: 60 }),
      weeks: fc.boolean(),
      aheadMs: fc.integer({ min: 0, max: 20 * 365 * DAY_MS }),
    });
    fc.assert(
      fc.property(arbitrary, ({ fromMs, every, weeks, aheadMs }) => {
        const now = new Date(fromMs + aheadMs);
        const run = nextRepeatRun({ fromMs, every, unit: weeks ? 'weeks' : 'days' }, 'UTC', now);
        const step = every * (weeks ? 7 : 1) * DAY_MS;
        // Whole seconds: the start's milliseconds are not part of its wall time.
        const start = Math.floor(fromMs / 1000) * 1000;
        expect(run).not.toBeNull();
        expect(run!.getTime()).toBeGreaterThan(now.getTime());
        expect(run!.getTime() - now.getTime()).toBeLessThanOrEqual(step);
        expect((run!.getTime() - start) % step).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('OnApp schedules starting ahead, at a time with seconds', () => {
  // Cron says minutes: the start's minute (10:00) was read as the first run, 30 s before the schedule begins.
  it('the first run is the start itself, never the minute before it', () => {
    const daily = onapp({ period: 'days', duration: 1, start_at: '2024-01-02T10:00:30Z' });
    expect(daily.startsAtMs).toBe(Date.parse('2024-01-02T10:00:30Z'));
    expect(nextRun(daily, '2024-01-01T12:00:00Z')).toBe('2024-01-02T10:00:30.000Z');
    // Asked within the start's minute, before the start: still the start (it went on to the next day).
    expect(nextRun(daily, '2024-01-02T10:00:10Z')).toBe('2024-01-02T10:00:30.000Z');
    // Once begun, the runs are the cron's.
    expect(nextRun(daily, '2024-01-02T10:00:31Z')).toBe('2024-01-03T10:00:00.000Z');
  });

  it('property: a schedule starting ahead never runs before its start', () => {
    const base = Date.parse('2024-01-01T00:00:00Z');
    const arbitrary = fc.record({
      aheadMs: fc.integer({ min: 1, max: 30 * DAY_MS }),
      beforeMs: fc.integer({ min: 1, max: 30 * DAY_MS }),
      period: fc.constantFrom('days', 'weeks', 'months', 'years'),
    });
    fc.assert(
      fc.property(arbitrary, ({ aheadMs, beforeMs, period }) => {
        const start = new Date(base + aheadMs);
        const schedule = onapp({ period, duration: 1, start_at: start.toISOString() });
        const now = new Date(Math.max(0, start.getTime() - beforeMs));
        const run = nextRun(schedule, now.toISOString());
        expect(run).toBeDefined();
        // The row's start is read to the second.
        expect(Date.parse(run!)).toBeGreaterThanOrEqual(Math.floor(start.getTime() / 1000) * 1000);
      }),
      { numRuns: 300 },
    );
  });
});
