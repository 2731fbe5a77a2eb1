import { describe, expect, it } from 'vitest';
import { nextRepeatRun } from '../../src/domain/schedule-repeat.js';
import type { ScheduleRepeat } from '../../src/domain/types.js';

const next = (repeat: ScheduleRepeat, now: string, timezone = 'UTC'): string | null => nextRepeatRun(repeat, timezone, new Date(now))?.toISOString() ?? null;
const from = (iso: string) => Date.parse(iso);

describe('the next run of a schedule repeated every N periods from its start', () => {
  it('every N months counts whole months from the start, whatever day of the month it is now', () => {
    // Now before the start's day in the month: the run this month is still to come.
    expect(next({ fromMs: from('2024-01-20T03:30:00Z'), every: 2, unit: 'months' }, '2024-03-10T00:00:00Z')).toBe('2024-03-20T03:30:00.000Z');
    // Across a year's end, from December.
    expect(next({ fromMs: from('2020-12-15T03:30:00Z'), every: 1, unit: 'months' }, '2022-01-10T00:00:00Z')).toBe('2022-01-15T03:30:00.000Z');
    // Decades on: far more steps than the search takes.
    expect(next({ fromMs: from('2000-01-15T03:30:00Z'), every: 1, unit: 'months' }, '2040-06-10T00:00:00Z')).toBe('2040-06-15T03:30:00.000Z');
  });

  it('skips a month without the start’s day, as cron does', () => {
    expect(next({ fromMs: from('2024-01-31T03:30:00Z'), every: 1, unit: 'months' }, '2024-02-01T00:00:00Z')).toBe('2024-03-31T03:30:00.000Z');
    expect(next({ fromMs: from('2024-02-29T03:30:00Z'), every: 1, unit: 'years' }, '2024-03-01T00:00:00Z')).toBe('2028-02-29T03:30:00.000Z');
  });

  it('a run at this very instant is the one being made: the next is a step on', () => {
    expect(next({ fromMs: from('2024-01-02T03:30:00Z'), every: 2, unit: 'days' }, '2024-01-04T03:30:00Z')).toBe('2024-01-06T03:30:00.000Z');
  });

  it('before the start, the start is the next run', () => {
    expect(next({ fromMs: from('2024-01-02T03:30:00Z'), every: 2, unit: 'weeks' }, '2023-12-01T00:00:00Z')).toBe('2024-01-02T03:30:00.000Z');
  });

  it('has none when the step is no whole number of periods from 1 up', () => {
    for (const every of [0, -1, 1.5, Number.NaN]) {
      for (const unit of ['days', 'months'] as const) {
        // Now before the start too: a negative step must not make the start a run.
        expect(next({ fromMs: from('2024-01-02T03:30:00Z'), every, unit }, '2024-03-10T00:00:00Z'), `${every} ${unit}`).toBeNull();
        expect(next({ fromMs: from('2024-01-02T03:30:00Z'), every, unit }, '2023-12-01T00:00:00Z'), `${every} ${unit}, before`).toBeNull();
      }
    }
  });

  it('has none, and does not fail, when the start is no date the gateway reads (not 1970-9999)', () => {
    for (const fromMs of [Number.NaN, Number.POSITIVE_INFINITY, 1e300, -1e300, Date.UTC(9999, 11, 31, 23, 59, 59, 999) + 1, new Date('0050-06-01T00:00:00Z').getTime(), Date.UTC(1969, 11, 31)]) {
      expect(next({ fromMs, every: 2, unit: 'days' }, '2024-03-10T00:00:00Z'), String(fromMs)).toBeNull();
      expect(next({ fromMs, every: 2, unit: 'months' }, '2024-03-10T00:00:00Z'), String(fromMs)).toBeNull();
    }
  });

  it('has none when the next run would fall after 9999', () => {
    expect(next({ fromMs: Date.UTC(9999, 5, 1), every: 2, unit: 'years' }, '9999-07-01T00:00:00Z')).toBeNull();
    expect(next({ fromMs: Date.UTC(9999, 11, 30, 12), every: 2, unit: 'days' }, '9999-12-30T13:00:00Z')).toBeNull();
  });
});
