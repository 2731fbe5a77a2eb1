import { describe, expect, it } from 'vitest';
import { GIB, KIB, MIB, toBytes, toNumber, toStringOrNull } from '../../src/domain/units.js';

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
