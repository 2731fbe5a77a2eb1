import { describe, expect, it } from 'vitest';
import { holdsHidden } from '../../src/upstream/invisible-characters.js';

/**
 * holdsHidden asks its full search of raw characters only of a text holding a unit one of them can
 * start with (one character class, scanned in a third of the time): each raw invisible unit, a
 * tag character, and each raw space past ASCII must still be found, alone in a plain text, and no
 * other unit.
 */
describe('holdsHidden, raw characters', () => {
  const invisible = /^[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufffd]$/;
  const rawSpace = /^[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

  it('finds every invisible unit and every raw space past ASCII, and no other single unit', () => {
    const wrong: string[] = [];
    for (let unit = 0; unit < 0x10000; unit++) {
      const char = String.fromCharCode(unit);
      // Escapes start with these and are asked of otherwise (the escape searches): plain, they hide nothing.
      const expected = invisible.test(char) || rawSpace.test(char);
      if (holdsHidden(`ab${char}cd`) !== expected) wrong.push(unit.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('finds a tag character (U+E0000-E007F) as its two halves, and neither half alone', () => {
    for (let low = 0xdc00; low <= 0xdc7f; low++) expect(holdsHidden(`ab\udb40${String.fromCharCode(low)}cd`)).toBe(true);
    expect(holdsHidden('ab\udb40cd')).toBe(false);
    expect(holdsHidden(`ab${String.fromCharCode(0xdc00)}cd`)).toBe(false);
  });
});
