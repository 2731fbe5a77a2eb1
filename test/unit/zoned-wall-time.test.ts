import { describe, expect, it } from 'vitest';
import { zonedWallTimeToUtc } from '../../src/domain/zoned-wall-time.js';

const at = (month: number, day: number, hour: number, minute = 0, second = 0, year = 2024) => ({ year, month, day, hour, minute, second });

describe('wall-clock time in a zone', () => {
  it('reads wall-clock fields in a zone as the instant they name, across DST', () => {
    expect(zonedWallTimeToUtc(at(1, 15, 12, 30, 45), 'UTC')?.toISOString()).toBe('2024-01-15T12:30:45.000Z');
    // Amsterdam: UTC+1 in winter, UTC+2 in summer.
    expect(zonedWallTimeToUtc(at(1, 15, 12), 'Europe/Amsterdam')?.toISOString()).toBe('2024-01-15T11:00:00.000Z');
    expect(zonedWallTimeToUtc(at(7, 15, 12), 'Europe/Amsterdam')?.toISOString()).toBe('2024-07-15T10:00:00.000Z');
    // New York: UTC-5 in winter; the day rolls over.
    expect(zonedWallTimeToUtc(at(1, 15, 22), 'America/New_York')?.toISOString()).toBe('2024-01-16T03:00:00.000Z');
    expect(zonedWallTimeToUtc(at(7, 1, 0), 'Asia/Kolkata')?.toISOString()).toBe('2024-06-30T18:30:00.000Z');
    // The hours after a DST switch (31 March 2024, 02:00 -> 03:00 in Amsterdam).
    expect(zonedWallTimeToUtc(at(3, 31, 4), 'Europe/Amsterdam')?.toISOString()).toBe('2024-03-31T02:00:00.000Z');
    expect(zonedWallTimeToUtc(at(3, 31, 1), 'Europe/Amsterdam')?.toISOString()).toBe('2024-03-31T00:00:00.000Z');
  });

  it('reads a wall time the autumn repeat shows twice as its first showing, in zones ahead of UTC and behind it', () => {
    // Amsterdam, 27 October 2024: 03:00 CEST becomes 02:00 CET; 02:30 shows at 00:30Z and again at 01:30Z.
    // Read as the second, a backup dated then was an hour younger than it may be (PROTECTED an hour past the objective).
    expect(zonedWallTimeToUtc(at(10, 27, 2, 30), 'Europe/Amsterdam')?.toISOString()).toBe('2024-10-27T00:30:00.000Z');
    expect(zonedWallTimeToUtc(at(10, 27, 2, 59, 59), 'Europe/Amsterdam')?.toISOString()).toBe('2024-10-27T00:59:59.000Z');
    // Lord Howe, 7 April 2024: 02:00 +11 becomes 01:30 +10:30.
    expect(zonedWallTimeToUtc(at(4, 7, 1, 45), 'Australia/Lord_Howe')?.toISOString()).toBe('2024-04-06T14:45:00.000Z');
    // New York, 3 November 2024: 01:30 shows at 05:30Z (EDT) and 06:30Z (EST).
    expect(zonedWallTimeToUtc(at(11, 3, 1, 30), 'America/New_York')?.toISOString()).toBe('2024-11-03T05:30:00.000Z');
    // The hours either side show once and read as before.
    expect(zonedWallTimeToUtc(at(10, 27, 1, 59), 'Europe/Amsterdam')?.toISOString()).toBe('2024-10-26T23:59:00.000Z');
    expect(zonedWallTimeToUtc(at(10, 27, 3), 'Europe/Amsterdam')?.toISOString()).toBe('2024-10-27T02:00:00.000Z');
    expect(zonedWallTimeToUtc(at(10, 27, 5), 'Europe/Amsterdam')?.toISOString()).toBe('2024-10-27T04:00:00.000Z');
  });

  it('gives null for fields out of range rather than rolling them over', () => {
    for (const fields of [at(2, 30, 12), at(13, 1, 0), at(1, 32, 0), at(1, 1, 24), at(1, 1, 0, 60), at(1, 1, 0, 0, 60)]) {
      expect(zonedWallTimeToUtc(fields, 'Europe/Amsterdam'), JSON.stringify(fields)).toBeNull();
    }
  });

  it('gives null for an instant outside 1970-9999 once the zone is applied', () => {
    expect(zonedWallTimeToUtc(at(1, 1, 0, 30, 0, 1970), 'Europe/Amsterdam')).toBeNull();
    expect(zonedWallTimeToUtc(at(1, 1, 1, 30, 0, 1970), 'Europe/Amsterdam')?.toISOString()).toBe('1970-01-01T00:30:00.000Z');
    expect(zonedWallTimeToUtc(at(12, 31, 23, 0, 0, 9999), 'America/New_York')).toBeNull();
    expect(zonedWallTimeToUtc(at(12, 31, 23, 0, 0, 9999), 'Asia/Shanghai')?.toISOString()).toBe('9999-12-31T15:00:00.000Z');
    expect(zonedWallTimeToUtc(at(1, 1, 0, 0, 0, 1), 'UTC')).toBeNull();
  });
});
