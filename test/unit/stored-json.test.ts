import { describe, expect, it } from 'vitest';
import { decodeStored, encodeStored } from '../../src/state/stored-json.js';

const roundTrip = <T>(value: T): T => decodeStored<T>(encodeStored(value));

// What Redis keeps (cached reads, idempotency records, operations) must come back as it went in.
describe('stored JSON', () => {
  it('gives strings that look like dates back as strings, and Dates back as Dates, at any depth', () => {
    const createdAt = new Date('2026-11-30T10:00:00.123Z');
    const value = {
      name: '2030-01-01T00:00:00Z',
      note: '2024-01-01T00:00:00.000Z',
      createdAt,
      raw: { created_at: '2026-11-30T10:00:00Z', list: ['2026-11-30T10:00:00Z', createdAt] },
    };
    const back = roundTrip(value);
    expect(back).toEqual(value);
    expect(back.createdAt).toBeInstanceOf(Date);
    expect(back.createdAt.getTime()).toBe(createdAt.getTime());
    expect(back.raw.list[1]).toBeInstanceOf(Date);
    expect(typeof back.name).toBe('string');
    expect(typeof back.raw.list[0]).toBe('string');
  });

  it('keeps strings that start with its own tag character, including ones that mimic a tagged Date', () => {
    const tricky = ['\u0001', '\u0001D2026-11-30T10:00:00.000Z', '\u0001\u0001x', 'D', ''];
    expect(roundTrip(tricky)).toEqual(tricky);
    expect(roundTrip({ '\u0001D': '\u0001D' })).toEqual({ '\u0001D': '\u0001D' });
  });

  it('keeps a Date at the top level, an invalid Date as invalid, and plain values as they are', () => {
    expect(roundTrip(new Date(0))).toEqual(new Date(0));
    expect(Number.isNaN(roundTrip(new Date(Number.NaN)).getTime())).toBe(true);
    expect(roundTrip(null)).toBeNull();
    expect(roundTrip([1, 'a', true, { n: 2.5 }])).toEqual([1, 'a', true, { n: 2.5 }]);
  });

  it('writes a text that plain JSON.parse refuses, so an older replica fails loudly instead of misreading it', () => {
    expect(() => JSON.parse(encodeStored({ a: 1 }))).toThrow(SyntaxError);
  });

  it('still reads entries written before the tagged format, reviving their ISO strings as it did then', () => {
    const legacy = JSON.stringify({ createdAt: '2026-11-30T10:00:00.000Z', at: '2026-11-30T10:00:00Z', name: 'daily', around: ['x2026-11-30T10:00:00Z', '2026-11-30T10:00:00Zx'] });
    expect(decodeStored(legacy)).toEqual({
      createdAt: new Date('2026-11-30T10:00:00.000Z'),
      at: new Date('2026-11-30T10:00:00Z'),
      name: 'daily',
      // Only whole ISO strings were revived.
      around: ['x2026-11-30T10:00:00Z', '2026-11-30T10:00:00Zx'],
    });
  });
});
