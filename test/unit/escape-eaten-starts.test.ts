import { describe, expect, it } from 'vitest';
import { escapeEatenStarts } from '../../src/upstream/escape-eaten-starts.js';

/**
 * The places where a piece of a secret may start inside an escape the piece search passes over
 * whole (`%2b7Kq8Rw2`: "b" ends `%2b`): the scrubber asks for a piece starting at each, so a
 * place missed is a piece left in the answer. In order, each once, and none where the escape is
 * not passed over or no letter or digit follows it.
 */
const ANY = (): boolean => true;
const pairs = (...allowed: string[]) => (first: number, second: number): boolean => allowed.includes(String.fromCharCode(first, second));

describe('escapeEatenStarts', () => {
  it('after a backslash escape passed over (\\n, \\t, \\r, \\f, \\v): the letter ending it', () => {
    for (const kind of 'ntrfv') expect(escapeEatenStarts(`said \\${kind}b7Kq`, ANY)).toEqual([6]);
    // JSON's `\\` before it: the second backslash begins the escape.
    expect(escapeEatenStarts('\\\\nb7', ANY)).toEqual([2]);
  });

  it('after a percent escape passed over (%20, %2B, %0A, %22, %27): the two hex digits ending it', () => {
    for (const escape of ['%20', '%2b', '%2B', '%0A', '%0d', '%22', '%27', '%60']) expect(escapeEatenStarts(`x${escape}b7Kq`, ANY)).toEqual([2, 3]);
  });

  it('none in an escape the piece search reads as a letter or does not pass over', () => {
    for (const text of ['\\xb7Kq', '\\u0041b7', '\\bx7', '\\"b7', '\\/b7', '%41b7', '%2Fb7', '%3Ab7', '%7Eab', '%zzb7', '100%ab']) expect(escapeEatenStarts(text, ANY)).toEqual([]);
  });

  it("none where the escape's own character is no letter or digit (\\' is passed over, but begins no piece)", () => {
    expect(escapeEatenStarts("\\'b7Kq", ANY)).toEqual([]);
  });

  it('only where a letter or digit follows the escape: the ends of each range in, the characters just outside them out', () => {
    for (const next of '09AZaz') {
      expect(escapeEatenStarts(`\\n${next}`, ANY)).toEqual([1]);
      expect(escapeEatenStarts(`%20${next}`, ANY)).toEqual([1, 2]);
    }
    for (const next of ['/', ':', '@', '[', '`', '{', ' ', '-', '\u00e9', '']) {
      expect(escapeEatenStarts(`\\n${next}`, ANY)).toEqual([]);
      expect(escapeEatenStarts(`%20${next}`, ANY)).toEqual([]);
    }
  });

  it('only the places whose first two characters may begin a piece', () => {
    expect(escapeEatenStarts('%2b7K', pairs('b7'))).toEqual([2]);
    expect(escapeEatenStarts('%2b7K', pairs('2b'))).toEqual([1]);
    expect(escapeEatenStarts('\\nb7', pairs('nb'))).toEqual([1]);
    expect(escapeEatenStarts('\\nb7', pairs('b7'))).toEqual([]);
    expect(escapeEatenStarts('%2b7K \\nb7', pairs())).toEqual([]);
  });

  it('every escape in the text, in order of place, backslashes and percents mixed', () => {
    expect(escapeEatenStarts('a%20Z%2Bz\\r9', ANY)).toEqual([2, 3, 6, 7, 10]);
    expect(escapeEatenStarts('%2Bb\\nc', ANY)).toEqual([1, 2, 5]);
    expect(escapeEatenStarts('\\nc%2Bb\\tq', ANY)).toEqual([1, 4, 5, 8]);
    expect(escapeEatenStarts('%2B%2B9', ANY)).toEqual([4, 5]);
    expect(escapeEatenStarts('plain text, no escape', ANY)).toEqual([]);
  });
});
