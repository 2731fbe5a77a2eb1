import { describe, expect, it } from 'vitest';
import { parseUtcDate } from '../../src/domain/provider-dates.js';

const iso = (value: unknown) => parseUtcDate(value)?.toISOString() ?? null;

describe('provider dates: the forms the providers send', () => {
  it('reads a date without a zone as UTC: date only is midnight', () => {
    expect(iso('2024-07-23')).toBe('2024-07-23T00:00:00.000Z');
    expect(iso(' 2024-07-23 ')).toBe('2024-07-23T00:00:00.000Z');
  });

  it('reads a date and time without a zone as UTC, with or without seconds, space or T', () => {
    expect(iso('2024-07-23 10:20:30')).toBe('2024-07-23T10:20:30.000Z');
    expect(iso('2024-07-23T10:20:30')).toBe('2024-07-23T10:20:30.000Z');
    expect(iso('2024-07-23 10:20')).toBe('2024-07-23T10:20:00.000Z');
    expect(iso('2024-12-31 23:59:59')).toBe('2024-12-31T23:59:59.000Z');
  });

  it('keeps the zone of a date that has one: Z, +hh:mm, +hhmm, either sign, either case', () => {
    expect(iso('2024-07-23T10:20:30+03:00')).toBe('2024-07-23T07:20:30.000Z');
    expect(iso('2024-07-23T10:20:30Z')).toBe('2024-07-23T10:20:30.000Z');
    expect(iso('2015-08-13T01:59:20+00:00')).toBe('2015-08-13T01:59:20.000Z');
    expect(iso('2024-07-23T10:20:30-05:30')).toBe('2024-07-23T15:50:30.000Z');
    expect(iso('2024-07-23T10:20:30+0300')).toBe('2024-07-23T07:20:30.000Z');
    expect(iso('2024-07-23 10:20:30+03:00')).toBe('2024-07-23T07:20:30.000Z');
    expect(iso('2024-07-23t10:20:30z')).toBe('2024-07-23T10:20:30.000Z');
    expect(iso('2024-07-23T10:20Z')).toBe('2024-07-23T10:20:00.000Z');
    expect(iso('2024-07-23T10:20:30+23:59')).toBe('2024-07-22T10:21:30.000Z');
  });

  it('reads a zone of hours alone, as PostgreSQL writes one', () => {
    expect(iso('2024-07-23 10:20:30+03')).toBe('2024-07-23T07:20:30.000Z');
    expect(iso('2024-07-23T10:20:30.5-05')).toBe('2024-07-23T15:20:30.500Z');
    expect(iso('2024-07-23T10:20:30+24')).toBeNull();
  });

  it('reads a leap second only at 23:59:60 UTC at the end of a month, in whichever minute that is in its zone', () => {
    expect(iso('2016-12-31T05:29:60-18:30')).toBe('2016-12-31T23:59:59.999Z');
    expect(iso('2017-01-01T05:29:60+05:30')).toBe('2016-12-31T23:59:59.999Z');
    expect(iso('2016-12-31T12:59:60Z')).toBeNull();
    expect(iso('2016-12-31T23:59:60+03:00')).toBeNull();
    expect(iso('2016-12-30T23:59:60Z')).toBeNull();
    expect(iso('9999-12-31T23:59:60Z')).toBe('9999-12-31T23:59:59.999Z');
    expect(iso('9999-12-31T23:59:60-01:00')).toBeNull();
    // The first of a month, but not its first instant: no leap second there.
    expect(iso('2017-01-01T00:59:60Z')).toBeNull();
    expect(iso('2017-01-01T00:05:60Z')).toBeNull();
  });

  it('reads a leap second as the last millisecond of its minute, in any zone, and only at :59', () => {
    expect(iso('2016-12-31T23:59:60Z')).toBe('2016-12-31T23:59:59.999Z');
    expect(iso('2016-12-31T23:59:60.5Z')).toBe('2016-12-31T23:59:59.999Z');
    expect(iso('2017-01-01T02:59:60+03:00')).toBe('2016-12-31T23:59:59.999Z');
    expect(iso('2016-12-31 23:59:60')).toBe('2016-12-31T23:59:59.999Z');
    expect(iso('2016-12-31T23:58:60Z')).toBeNull();
    expect(iso('2016-12-31T23:59:61Z')).toBeNull();
  });

  it('reads fractions of a second, up to nine digits, to the millisecond', () => {
    expect(iso('2024-03-05T04:00:12.345Z')).toBe('2024-03-05T04:00:12.345Z');
    expect(iso('2024-03-05T04:00:12.3Z')).toBe('2024-03-05T04:00:12.300Z');
    expect(iso('2024-03-05T04:00:12.04Z')).toBe('2024-03-05T04:00:12.040Z');
    expect(iso('2024-03-05T04:00:12.345678+00:00')).toBe('2024-03-05T04:00:12.345Z');
    expect(iso('2024-03-05T04:00:12.999999999')).toBe('2024-03-05T04:00:12.999Z');
    expect(iso('2024-03-05T04:00:12.1234567890Z')).toBeNull();
    expect(iso('2024-03-05T04:00:12.Z')).toBeNull();
    expect(iso('2024-03-05T04:00.5Z')).toBeNull();
  });
});

describe('provider dates: anything else is no date', () => {
  it('gives null for no date, or one that is not a date', () => {
    for (const value of [undefined, null, 1721730030, '', '  ', 'yesterday', 'soon', '2024-07-23 10:20:30 +bogus']) expect(parseUtcDate(value), String(value)).toBeNull();
  });

  it('refuses the forms JavaScript would guess at but no provider sends', () => {
    for (const value of [
      'Tue, 23 Jul 2024 10:20:30 GMT',
      'July 23, 2024',
      '2024/07/23',
      '2024-7-23',
      '20240723',
      '2024-07-23T10',
      '2024-07-23T10:20:30+3',
      '2024-07-23T10:20:30+03:',
      '2024-07-23T10:20:30+033',
      '2024-07-23Z',
      '2024-07-23T10:20:30 Z',
      '1721730030',
      'x2024-07-23',
      '2024-07-23x',
    ]) {
      expect(parseUtcDate(value), value).toBeNull();
    }
  });

  it('never rolls a field out of range over into another date', () => {
    for (const value of [
      '2024-99-99',
      '2024-13-01',
      '2024-00-10',
      '2024-01-00',
      '2024-01-32',
      '2023-02-29',
      '2024-02-30',
      '2024-04-31',
      '2024-07-23 24:00:00',
      '2024-07-23 25:00',
      '2024-07-23 10:60',
      '2024-07-23 10:20:60',
      '2024-07-23T10:20:30+24:00',
      '2024-07-23T10:20:30+01:60',
    ]) {
      expect(parseUtcDate(value), value).toBeNull();
    }
    expect(iso('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
    expect(iso('2024-04-30 23:59:59')).toBe('2024-04-30T23:59:59.000Z');
  });

  it("reads placeholders for 'no date' as none: MySQL's zero date, Go's zero time, years before 1970", () => {
    for (const value of ['0000-00-00', '0000-00-00 00:00:00', '0001-01-01', '0001-01-01T00:00:00Z', '0099-01-01', '1899-12-31', '1969-12-31T23:59:59Z', '1970-01-01T00:30:00+01:00']) {
      expect(parseUtcDate(value), value).toBeNull();
    }
    expect(iso('1970-01-01')).toBe('1970-01-01T00:00:00.000Z');
  });

  it('refuses a year after 9999: every date it gives is RFC 3339, four-digit year', () => {
    for (const value of ['+275760-09-13T00:00:00Z', '275760-09-13', '10000-01-01', '9999-12-31T23:59:59-00:01', '9999-12-31T20:00:00-05:00']) {
      expect(parseUtcDate(value), value).toBeNull();
    }
    expect(iso('9999-12-31T23:59:59.999Z')).toBe('9999-12-31T23:59:59.999Z');
    expect(iso('9999-12-31T23:59:59.999-00:00')).toBe('9999-12-31T23:59:59.999Z');
  });
});
