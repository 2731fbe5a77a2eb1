import { describe, expect, it } from 'vitest';
import { EARLIEST_DATE_MS, LATEST_DATE_MS, dateInWindow, utcMsOfWallFields } from '../../src/domain/wall-fields.js';

const fields = (overrides: Partial<Parameters<typeof utcMsOfWallFields>[0]> = {}) => ({ year: 2024, month: 7, day: 23, hour: 10, minute: 20, second: 30, ...overrides });

describe('wall-clock fields, strictly', () => {
  it('reads fields in range as UTC, milliseconds included', () => {
    expect(utcMsOfWallFields(fields())).toBe(Date.UTC(2024, 6, 23, 10, 20, 30));
    expect(utcMsOfWallFields(fields({ millisecond: 999 }))).toBe(Date.UTC(2024, 6, 23, 10, 20, 30, 999));
  });

  it('gives null for any field out of range rather than another date', () => {
    const outOfRange = [
      { month: 0 }, { month: 13 }, { day: 0 }, { day: 32 }, { month: 2, day: 30 }, { year: 2023, month: 2, day: 29 }, { month: 4, day: 31 },
      { hour: -1 }, { hour: 24 }, { minute: -1 }, { minute: 60 }, { second: -1 }, { second: 60 }, { millisecond: -1 }, { millisecond: 1000 },
      { year: Number.NaN }, { month: Number.NaN }, { day: Number.NaN }, { hour: Number.NaN },
    ];
    for (const overrides of outOfRange) expect(utcMsOfWallFields(fields(overrides)), JSON.stringify(overrides)).toBeNull();
  });

  it('takes every field at both ends of its range', () => {
    expect(utcMsOfWallFields(fields({ month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }))).toBe(Date.UTC(2024, 0, 1));
    expect(utcMsOfWallFields(fields({ month: 12, day: 31, hour: 23, minute: 59, second: 59, millisecond: 999 }))).toBe(Date.UTC(2024, 11, 31, 23, 59, 59, 999));
    expect(utcMsOfWallFields(fields({ month: 2, day: 29 }))).toBe(Date.UTC(2024, 1, 29, 10, 20, 30));
    expect(utcMsOfWallFields(fields({ month: 4, day: 30 }))).toBe(Date.UTC(2024, 3, 30, 10, 20, 30));
  });

  it('refuses a year below 100 rather than read it as 1900 and something', () => {
    expect(utcMsOfWallFields(fields({ year: 99 }))).toBeNull();
    expect(utcMsOfWallFields(fields({ year: 0 }))).toBeNull();
    expect(new Date(utcMsOfWallFields(fields({ year: 100, month: 1, day: 1, hour: 0, minute: 0, second: 0 })) ?? Number.NaN).getUTCFullYear()).toBe(100);
  });
});

describe('the window of provider dates', () => {
  it('is 1970-01-01 to the end of 9999, both ends included', () => {
    expect(new Date(EARLIEST_DATE_MS).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(new Date(LATEST_DATE_MS).toISOString()).toBe('9999-12-31T23:59:59.999Z');
    expect(dateInWindow(EARLIEST_DATE_MS)?.getTime()).toBe(EARLIEST_DATE_MS);
    expect(dateInWindow(LATEST_DATE_MS)?.getTime()).toBe(LATEST_DATE_MS);
    expect(dateInWindow(EARLIEST_DATE_MS - 1)).toBeNull();
    expect(dateInWindow(LATEST_DATE_MS + 1)).toBeNull();
    expect(dateInWindow(8.64e15)).toBeNull();
  });
});
