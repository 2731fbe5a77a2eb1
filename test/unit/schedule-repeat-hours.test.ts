import { describe, expect, it } from 'vitest';
import { nextRepeatRun } from '../../src/domain/schedule-repeat.js';

const HOUR_MS = 3_600_000;
const start = Date.parse('2024-03-31T00:30:00Z');
const next = (every: number, nowMs: number, timezone = 'UTC'): number | null => nextRepeatRun({ fromMs: start, every, unit: 'hours' }, timezone, new Date(nowMs))?.getTime() ?? null;

describe('a schedule repeated every N hours counts elapsed time from its start', () => {
  it('is the start itself while the start is still to come, and a step on from the instant of the start', () => {
    expect(next(3, start - 1)).toBe(start);
    // The run at this very instant is the one being made.
    expect(next(3, start)).toBe(start + 3 * HOUR_MS);
    expect(next(3, start + 1)).toBe(start + 3 * HOUR_MS);
  });

  it('is the next whole step after now, now on a run or between two', () => {
    expect(next(3, start + 3 * HOUR_MS - 1)).toBe(start + 3 * HOUR_MS);
    expect(next(3, start + 3 * HOUR_MS)).toBe(start + 6 * HOUR_MS);
    expect(next(5, start + 11 * HOUR_MS)).toBe(start + 15 * HOUR_MS);
  });

  it('steps over a DST change by elapsed hours, not by the wall clock', () => {
    // Berlin springs forward at 01:00 UTC that day: runs stay 2 h apart in UTC.
    expect(next(2, start + HOUR_MS, 'Europe/Berlin')).toBe(start + 2 * HOUR_MS);
  });

  it('has none when the next step falls past what a Date can hold', () => {
    expect(next(2 ** 40, start + 1)).toBeNull();
  });
});

describe('every N hours at the last instant a Date can hold', () => {
  it('still has a run landing exactly on it', () => {
    // 2.4e9 hours from the epoch is 8.64e15 ms, the last valid Date.
    expect(nextRepeatRun({ fromMs: 0, every: 2.4e9, unit: 'hours' }, 'UTC', new Date(0))?.getTime()).toBe(8.64e15);
  });
});
