import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A double quote after a space or two and before a piece of a secret (`b7Kq8Rw "2Zx4LmT`): passed
 * over where a letter or digit stands just before those spaces, however short the run of letters
 * it ends (a secret's piece may start one character before the quote); counted past two spaces,
 * as a quote standing in prose is.
 */
const SECRET = 'b7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

describe('a double quote after spaces beside a piece of a secret', () => {
  it.each([
    ['(w "2Zx4LmTpQ)', 'one letter, a space, a quote'],
    ['.w "2Zx4LmTpQ.', 'one letter after a period'],
    ['(w  "2Zx4LmTpQ)', 'one letter, two spaces, a quote'],
  ])('redacts the piece %j (%s) with the letter before the quote', (quoted, _what) => {
    expect(secrets.scrub(`note: ${quoted} end`)).toBe(`note: ${quoted.slice(0, 1)}[redacted]${quoted.slice(-1)} end`);
  });

  it('counts a quote past three spaces before it, as prose writes one', () => {
    for (const text of ['note: b7Kq8Rw   "2Zx4LmT end', 'note: b7Kq8Rw \t "2Zx4LmT end']) expect(secrets.scrub(text)).toBe(text);
  });
});
