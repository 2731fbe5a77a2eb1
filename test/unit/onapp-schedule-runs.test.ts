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
    // Once begun, the runs are the cron's minutes and the start's seconds: OnApp counts them from start_at.
    expect(nextRun(daily, '2024-01-02T10:00:31Z')).toBe('2024-01-03T10:00:30.000Z');
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

describe('OnApp schedules already started carry the seconds of their start_at into every run', () => {
  // Once the start was past, nextRunAt read the cron's whole minute: 11:00:00 for a schedule
  // OnApp runs at 11:00:30, counting its runs from a start at 10:00:30.
  it('hourly from 10:00:30 runs at 11:00:30, not 11:00:00', () => {
    const hourly = onapp({ period: 'hours', duration: 1, start_at: '2024-01-02T10:00:30Z' });
    expect(nextRun(hourly, '2024-01-02T10:30:00Z')).toBe('2024-01-02T11:00:30.000Z');
  });

  it('now just before, exactly at and just after a run; and between the cron minute and the run', () => {
    const daily = onapp({ period: 'days', duration: 1, start_at: '2024-01-02T10:00:30Z' });
    expect(nextRun(daily, '2024-01-03T10:00:29.999Z')).toBe('2024-01-03T10:00:30.000Z');
    expect(nextRun(daily, '2024-01-03T10:00:30.000Z')).toBe('2024-01-04T10:00:30.000Z');
    expect(nextRun(daily, '2024-01-03T10:00:30.001Z')).toBe('2024-01-04T10:00:30.000Z');
    // Within the cron minute, before its seconds: today's run is still to come (it read tomorrow's 10:00).
    expect(nextRun(daily, '2024-01-03T10:00:10Z')).toBe('2024-01-03T10:00:30.000Z');
    expect(nextRun(daily, '2024-01-03T09:59:59Z')).toBe('2024-01-03T10:00:30.000Z');
  });

  it('a start exactly on its minute is unchanged: the runs are the whole minutes of the cron', () => {
    const daily = onapp({ period: 'days', duration: 1, start_at: '2024-01-02T10:00:00Z' });
    expect(nextRun(daily, '2024-01-02T09:59:59Z')).toBe('2024-01-02T10:00:00.000Z');
    expect(nextRun(daily, '2024-01-02T10:00:00Z')).toBe('2024-01-03T10:00:00.000Z');
    expect(nextRun(daily, '2024-01-03T09:59:59.999Z')).toBe('2024-01-03T10:00:00.000Z');
  });

  it("property: a started schedule's next run is after now, within a period, at the start's second", () => {
    const base = Date.parse('2024-01-01T00:00:00Z');
    const PERIOD_MS = { hours: 3_600_000, days: DAY_MS, weeks: 7 * DAY_MS } as const;
    const arbitrary = fc.record({
      startMs: fc.integer({ min: 0, max: 30 * DAY_MS }),
      sinceMs: fc.integer({ min: 0, max: 60 * DAY_MS }),
      period: fc.constantFrom('hours', 'days', 'weeks'),
    });
    fc.assert(
      fc.property(arbitrary, ({ startMs, sinceMs, period }) => {
        const start = Math.floor((base + startMs) / 1000) * 1000;
        const schedule = onapp({ period, duration: 1, start_at: new Date(start).toISOString() });
        const now = start + sinceMs;
        const run = Date.parse(nextRun(schedule, new Date(now).toISOString())!);
        expect(run).toBeGreaterThan(now);
        expect(run - now).toBeLessThanOrEqual(PERIOD_MS[period]);
        expect((run - start) % 60_000).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
