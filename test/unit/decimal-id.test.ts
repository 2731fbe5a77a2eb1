import { describe, expect, it } from 'vitest';
import { decimalIdOrder } from '../../src/domain/decimal-id.js';

describe('decimalIdOrder', () => {
  it('reads ids past 2^53 exactly, so two that Number() reads as one stay two', () => {
    expect(decimalIdOrder('9007199254740993')).toBe(9007199254740993n);
    expect(decimalIdOrder('9007199254740993')).not.toBe(decimalIdOrder('9007199254740992'));
    expect(decimalIdOrder('7')).toBe(7n);
    expect(decimalIdOrder('0')).toBe(0n);
  });

  it('reads up to 40 digits, no more', () => {
    expect(decimalIdOrder('1'.repeat(40))).toBe(BigInt('1'.repeat(40)));
    expect(decimalIdOrder('1'.repeat(41))).toBeNull();
  });

  it('is null for any text that is not decimal digits alone', () => {
    for (const text of ['', '-1', '+1', '1.5', '1e3', ' 1', '1 ', 'a1', '1a', '0x10', '١٢']) expect(decimalIdOrder(text), JSON.stringify(text)).toBeNull();
  });
});
