import { describe, expect, it } from 'vitest';
import { GIB, KIB, MIB, parseUtcDate, toBytes, toNumber, toStringOrNull, zonedWallTimeToUtc } from '../../src/domain/units.js';

describe('unit conversions', () => {
  it('sizes are powers of 1024', () => {
    expect([KIB, MIB, GIB]).toEqual([1024, 1048576, 1073741824]);
  });

  it('toNumber reads numbers and numeric strings, and nothing else', () => {
    expect(toNumber(42)).toBe(42);
    expect(toNumber(-1.5)).toBe(-1.5);
    expect(toNumber(' 17 ')).toBe(17);
    expect(toNumber('0')).toBe(0);
    for (const value of ['', '   ', 'abc', '12abc', Number.NaN, Number.POSITIVE_INFINITY, 'Infinity', null, undefined, true, {}]) {
      expect(toNumber(value), String(value)).toBeNull();
    }
  });

  it('toBytes multiplies by the unit and rounds to a whole byte', () => {
    expect(toBytes('3', GIB)).toBe(3 * GIB);
    expect(toBytes(1.5, KIB)).toBe(1536);
    expect(toBytes(0.0004, KIB)).toBe(0);
    expect(toBytes(0.0006, KIB)).toBe(1);
    expect(toBytes(0, MIB)).toBe(0);
  });

  it('toBytes gives null for missing, negative or impossibly large values', () => {
    expect(toBytes(undefined, KIB)).toBeNull();
    expect(toBytes('', KIB)).toBeNull();
    expect(toBytes(-1, KIB)).toBeNull();
    expect(toBytes(-0.0001, KIB)).toBeNull();
    expect(toBytes(2 ** 60, GIB)).toBeNull();
  });

  it('toStringOrNull keeps strings and numbers, empty and anything else is null', () => {
    expect(toStringOrNull('web1')).toBe('web1');
    expect(toStringOrNull(' ')).toBe(' ');
    expect(toStringOrNull(7)).toBe('7');
    expect(toStringOrNull('')).toBeNull();
    expect(toStringOrNull(null)).toBeNull();
    expect(toStringOrNull(true)).toBeNull();
    expect(toStringOrNull({})).toBeNull();
  });
});

describe('provider dates', () => {
  it('reads a date without a zone as UTC: date only is midnight', () => {
    expect(parseUtcDate('2024-07-23')?.toISOString()).toBe('2024-07-23T00:00:00.000Z');
    expect(parseUtcDate(' 2024-07-23 ')?.toISOString()).toBe('2024-07-23T00:00:00.000Z');
  });

  it('reads a date and time without a zone as UTC, with or without seconds, space or T', () => {
    expect(parseUtcDate('2024-07-23 10:20:30')?.toISOString()).toBe('2024-07-23T10:20:30.000Z');
    expect(parseUtcDate('2024-07-23T10:20:30')?.toISOString()).toBe('2024-07-23T10:20:30.000Z');
    expect(parseUtcDate('2024-07-23 10:20')?.toISOString()).toBe('2024-07-23T10:20:00.000Z');
    expect(parseUtcDate('2024-12-31 23:59:59')?.toISOString()).toBe('2024-12-31T23:59:59.000Z');
  });

  it('keeps the zone of a date that has one', () => {
    expect(parseUtcDate('2024-07-23T10:20:30+03:00')?.toISOString()).toBe('2024-07-23T07:20:30.000Z');
    expect(parseUtcDate('2024-07-23T10:20:30Z')?.toISOString()).toBe('2024-07-23T10:20:30.000Z');
  });

  it('gives null for no date, or one that is not a date', () => {
    for (const value of [undefined, null, 1721730030, '', '  ', 'yesterday', '2024-07-23 10:20:30 +bogus']) expect(parseUtcDate(value), String(value)).toBeNull();
  });

  it('reads wall-clock fields in a zone as the instant they name, across DST', () => {
    const at = (month: number, day: number, hour: number, minute = 0, second = 0) => ({ year: 2024, month, day, hour, minute, second });
    expect(zonedWallTimeToUtc(at(1, 15, 12, 30, 45), 'UTC').toISOString()).toBe('2024-01-15T12:30:45.000Z');
    // Amsterdam: UTC+1 in winter, UTC+2 in summer.
    expect(zonedWallTimeToUtc(at(1, 15, 12), 'Europe/Amsterdam').toISOString()).toBe('2024-01-15T11:00:00.000Z');
    expect(zonedWallTimeToUtc(at(7, 15, 12), 'Europe/Amsterdam').toISOString()).toBe('2024-07-15T10:00:00.000Z');
    // New York: UTC-5 in winter; the day rolls over.
    expect(zonedWallTimeToUtc(at(1, 15, 22), 'America/New_York').toISOString()).toBe('2024-01-16T03:00:00.000Z');
    expect(zonedWallTimeToUtc(at(7, 1, 0), 'Asia/Kolkata').toISOString()).toBe('2024-06-30T18:30:00.000Z');
    // The hours after a DST switch (31 March 2024, 02:00 -> 03:00 in Amsterdam).
    expect(zonedWallTimeToUtc(at(3, 31, 4), 'Europe/Amsterdam').toISOString()).toBe('2024-03-31T02:00:00.000Z');
    expect(zonedWallTimeToUtc(at(3, 31, 1), 'Europe/Amsterdam').toISOString()).toBe('2024-03-31T00:00:00.000Z');
  });
});
