import { describe, expect, it } from 'vitest';
import { fitCloseReason } from '../../src/server/ws/close.js';

describe('fitCloseReason', () => {
  it('leaves a reason a close frame holds as it is', () => {
    expect(fitCloseReason('too many connections (limit 20)')).toBe('too many connections (limit 20)');
    expect(fitCloseReason('a'.repeat(123))).toBe('a'.repeat(123));
  });

  it('cuts a longer one to 123 bytes of UTF-8, marked as cut, never inside a character', () => {
    expect(fitCloseReason('a'.repeat(124))).toBe(`${'a'.repeat(120)}...`);
    const cut = fitCloseReason('é'.repeat(100));
    expect(cut).toBe(`${'é'.repeat(60)}...`);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(123);
  });
});
