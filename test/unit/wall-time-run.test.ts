import { describe, expect, it } from 'vitest';
import { wallTimeRun } from '../../src/domain/zoned-wall-time.js';

const at = (year: number, month: number, day: number, hour: number, minute = 0) => ({ year, month, day, hour, minute, second: 0 });
const run = (fields: ReturnType<typeof at>, timezone: string) => {
  const result = wallTimeRun(fields, timezone);
  return result ? { at: result.at.toISOString(), skipped: result.skipped } : null;
};

/** When cron runs a job set for a wall time (Vixie cron, cronie): the first showing of a repeat, the jump past a gap. */
describe('wallTimeRun', () => {
  it('a wall time the clock shows once is that instant', () => {
    expect(run(at(2026, 6, 1, 2, 30), 'UTC')).toEqual({ at: '2026-06-01T02:30:00.000Z', skipped: false });
    expect(run(at(2026, 6, 1, 2, 30), 'Europe/Berlin')).toEqual({ at: '2026-06-01T00:30:00.000Z', skipped: false });
    // The first minute after the jump is shown, not skipped.
    expect(run(at(2026, 3, 29, 3, 0), 'Europe/Berlin')).toEqual({ at: '2026-03-29T01:00:00.000Z', skipped: false });
  });

  it('a wall time the spring jump skips runs at the jump, whatever its minute, and whatever the gap (an hour, half an hour, at midnight)', () => {
    expect(run(at(2026, 3, 29, 2, 0), 'Europe/Berlin')).toEqual({ at: '2026-03-29T01:00:00.000Z', skipped: true });
    expect(run(at(2026, 3, 29, 2, 59), 'Europe/Berlin')).toEqual({ at: '2026-03-29T01:00:00.000Z', skipped: true });
    expect(run(at(2026, 3, 8, 2, 30), 'America/New_York')).toEqual({ at: '2026-03-08T07:00:00.000Z', skipped: true });
    expect(run(at(2026, 10, 4, 2, 15), 'Australia/Lord_Howe')).toEqual({ at: '2026-10-03T15:30:00.000Z', skipped: true });
    expect(run(at(2026, 9, 6, 0, 30), 'America/Santiago')).toEqual({ at: '2026-09-06T04:00:00.000Z', skipped: true });
  });

  it('a wall time the autumn repeat shows twice is its first showing', () => {
    expect(run(at(2026, 10, 25, 2, 30), 'Europe/Berlin')).toEqual({ at: '2026-10-25T00:30:00.000Z', skipped: false });
    expect(run(at(2026, 11, 1, 1, 30), 'America/New_York')).toEqual({ at: '2026-11-01T05:30:00.000Z', skipped: false });
  });

  it('null for fields out of range or an instant outside 1970-9999', () => {
    expect(run(at(2026, 2, 30, 2), 'UTC')).toBeNull();
    expect(run(at(2026, 1, 1, 24), 'UTC')).toBeNull();
    expect(run(at(9999, 12, 31, 23, 0), 'America/New_York')).toBeNull();
  });
});
