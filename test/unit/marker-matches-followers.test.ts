import { describe, expect, it } from 'vitest';
import { HEX_DIGITS, followers, isHexDigit, matchesAtEach } from '../../src/upstream/marker-matches.js';

describe('isHexDigit', () => {
  it('is true of 0-9, a-f and A-F only, of every UTF-16 unit', () => {
    for (let code = 0; code < 0x10000; code++) {
      if (isHexDigit(code) !== HEX_DIGITS.includes(String.fromCharCode(code))) expect.fail(`U+${code.toString(16)}`);
    }
    expect(isHexDigit(Number.NaN)).toBe(false);
  });
});

describe('matchesAtEach: where the match is tried', () => {
  it('tries no match where the marker is followed by a character past ASCII, or by none', () => {
    expect(matchesAtEach('%\u0080', '%', /%./y, followers('4'))).toBe(false);
    expect(matchesAtEach('%\u00e9', '%', /%./y, followers('4'))).toBe(false);
    expect(matchesAtEach('a%', '%', /%/y, followers('4'))).toBe(false);
    expect(matchesAtEach('%41', '%', /%./y, followers('4'))).toBe(true);
  });

  it('tries a follower that needs a hex digit after it only where one comes: `\\x` then no hex digit is no byte escape', () => {
    const anyX = /\\x/y;
    expect(matchesAtEach('a\\xg1', '\\', anyX, followers('x', 'x'))).toBe(false);
    expect(matchesAtEach('a\\x', '\\', anyX, followers('x', 'x'))).toBe(false);
    expect(matchesAtEach('a\\x/', '\\', anyX, followers('x', 'x'))).toBe(false);
    expect(matchesAtEach('a\\xF1', '\\', anyX, followers('x', 'x'))).toBe(true);
    // Without the hex rule, the same follower is tried whatever comes after it.
    expect(matchesAtEach('a\\xg1', '\\', anyX, followers('x'))).toBe(true);
  });

  it('reads past a second backslash only when asked: a match from the first of two', () => {
    const twoBackslashes = /\\\\u00/y;
    expect(matchesAtEach('\\\\u00', '\\', twoBackslashes, followers('u'), true)).toBe(true);
    expect(matchesAtEach('a\\\\u00', '\\', twoBackslashes, followers('u'), true)).toBe(true);
    expect(matchesAtEach('\\\\u00', '\\', twoBackslashes, followers('u'))).toBe(false);
    // Not asked, the second backslash is the character after the first.
    expect(matchesAtEach('\\\\', '\\', /\\\\/y, followers('\\'))).toBe(true);
    expect(matchesAtEach('\\\\', '\\', /\\\\/y, followers('\\'), true)).toBe(false);
  });
});
