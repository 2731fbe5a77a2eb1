import { describe, expect, it } from 'vitest';
import { BYTE_ESCAPE_HEADS, byteEscapeDigitsAt } from '../../src/upstream/byte-escapes.js';
import { SecretSet } from '../../src/upstream/secrets.js';

describe('byteEscapeDigitsAt (where the two hex digits of `\\xNN`, `\\u00NN` or `\\U000000NN` start)', () => {
  it('finds the digits after each head, the kind letter just past the backslash', () => {
    expect(byteEscapeDigitsAt('a\\x41', 2)).toBe(3);
    expect(byteEscapeDigitsAt('a\\u0041', 2)).toBe(5);
    expect(byteEscapeDigitsAt('a\\U00000041', 2)).toBe(9);
    expect([...BYTE_ESCAPE_HEADS].sort()).toEqual(['U000000', 'u00', 'x']);
  });

  it('answers -1 where no head starts there: another letter, a head cut short, or text that spells "undefined"', () => {
    for (const [text, kindAt] of [
      ['\\q41', 1],
      ['\\u0141', 1],
      ['\\U0001F600', 1],
      ['\\undefined41', 1],
      ['\\', 1],
      ['ab', 1],
    ] as const) {
      expect(byteEscapeDigitsAt(text, kindAt), text).toBe(-1);
    }
  });

  it("lets the scrubber read a secret's letter written in each head, and leaves a text of other escapes alone (guard)", () => {
    const secrets = new SecretSet();
    secrets.add('Dnb7Kq8Rw2Zx4LmT');
    for (const escaped of ['\\x52', '\\u0052', '\\U00000052']) expect(secrets.scrub(`key Dnb7Kq8${escaped}w2Zx4LmT`)).not.toMatch(/Dnb7Kq8|w2Zx4LmT/);
    const clean = 'path \\q41\\undefined and \\u0141 left as sent';
    expect(secrets.scrub(clean)).toBe(clean);
  });
});
