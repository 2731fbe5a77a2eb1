import { describe, expect, it } from 'vitest';
import { readHidden } from '../../src/upstream/invisible-characters.js';

/** The invisible characters as invisible-characters.ts names them, as UTF-16 units (the tags are pairs, below). */
const INVISIBLE_RANGES: Array<[number, number]> = [
  [0x00, 0x08], [0x0e, 0x1f], [0x7f, 0x9f], [0xad, 0xad], [0x61c, 0x61c], [0x180e, 0x180e], [0x200b, 0x200f],
  [0x202a, 0x202e], [0x2060, 0x2069], [0xfeff, 0xfeff], [0xfffd, 0xfffd],
];
const isInvisible = (code: number): boolean => INVISIBLE_RANGES.some(([low, high]) => code >= low && code <= high);
/** Whitespace past ASCII (`\s` with the u flag, but the BOM): read as a space. */
const isSpacePastAscii = (code: number): boolean => code >= 0x80 && code !== 0xfeff && /^\s$/u.test(String.fromCharCode(code));

describe('readHidden: each invisible character as it stands is read out, whitespace past ASCII read as a space, every other unit kept', () => {
  it('reads out exactly the named units between two letters, reads whitespace past ASCII as a space, and keeps the rest', () => {
    for (let code = 0; code < 0x10000; code++) {
      // "\", "%" and "&" start escapes, read by their own tests.
      if (code === 0x5c || code === 0x25 || code === 0x26) continue;
      const unit = String.fromCharCode(code);
      const read = readHidden(`a${unit}b`).text;
      if (read !== (isInvisible(code) ? 'ab' : isSpacePastAscii(code) ? 'a b' : `a${unit}b`)) expect.fail(`U+${code.toString(16)}: read as ${JSON.stringify(read)}`);
    }
  });

  it('reads out a tag character (a surrogate pair), and keeps its high half alone or before another low half', () => {
    expect(readHidden('a\u{e0000}b\u{e007f}c').text).toBe('abc');
    expect(readHidden('a\udb40b \udb40\udc80 \u{e0080}').text).toBe('a\udb40b \udb40\udc80 \u{e0080}');
    const { text, places, ends } = readHidden('x\u{e0041}\u200by\\u200bz');
    expect(text).toBe('xyz');
    expect([...places]).toEqual([0, 4, 11]);
    expect([...ends]).toEqual([1, 5, 12]);
  });
});
