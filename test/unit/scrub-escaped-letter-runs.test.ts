import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A secret of ASCII letters only (`nightowlpassword`): its pieces are words to the piece search and
 * are looked for as runs of 10 letters in a row (letter-run-pieces.ts), in the text as it stands.
 * Ten of its letters written as escapes (`%6E%69%67%68%74%6F%77%6C%70%61`, `&#104;&#116;...`), or
 * some of them (`night%6F%77%6C%70%61`), are the secret's to any reader decoding them, and went
 * out: the search through escapes looks for the whole secret only.
 */
const LETTERS = 'nightowlpassword';
const secrets = new SecretSet();
secrets.add(LETTERS);

const hex = (code: number, width: number): string => code.toString(16).padStart(width, '0');
const WRITERS: Array<[string, (code: number) => string]> = [
  ['%xx', (code) => `%${hex(code, 2)}`],
  ['%XX', (code) => `%${hex(code, 2).toUpperCase()}`],
  ['&#NN;', (code) => `&#${code};`],
  ['&#xXX;', (code) => `&#x${hex(code, 2)};`],
  ['\\u00XX', (code) => `\\u${hex(code, 4)}`],
  ['\\xXX', (code) => `\\x${hex(code, 2)}`],
  ['%25XX', (code) => `%25${hex(code, 2)}`],
  ['&amp;#NN;', (code) => `&amp;#${code};`],
];
const written = (text: string, write: (code: number) => string, every = 1): string => [...text].map((char, at) => (at % every === 0 ? write(char.charCodeAt(0)) : char)).join('');

describe('letters of a letters-only secret written as escapes', () => {
  it.each(WRITERS)('redacts 10 letters of it each written as %s, and the escapes whole', (_name, write) => {
    expect(secrets.scrub(`vm ${written(LETTERS.slice(0, 10), write)} end`)).toBe('vm [redacted] end');
    expect(secrets.scrub(`{"note":"${written(LETTERS.slice(4, 15).toUpperCase(), write)}"}`)).toBe('{"note":"[redacted]"}');
  });

  it.each(WRITERS)('redacts a run mixing %s escapes and plain letters', (_name, write) => {
    expect(secrets.scrub(`vm ${written(LETTERS.slice(2, 12), write, 2)} end`)).toBe('vm [redacted] end');
    expect(secrets.scrub(`vm night${written('owlpa', write)} end`)).toBe('vm [redacted] end');
  });

  it('redacts a letter run written in escapes of different kinds, one after another', () => {
    expect(secrets.scrub('vm %6E&#105;\\u0067&#x68;\\x74%256F&amp;#119;%6C%70%61 end')).toBe('vm [redacted] end');
  });

  it('leaves nine letters of it, escaped or not, and escapes of other letters alone', () => {
    for (const text of [`vm ${written(LETTERS.slice(0, 9), (code) => `%${hex(code, 2)}`)} end`, 'vm %6E%69%67%68%74 %6F%77%6C%70%61 end', 'vm %41%42%43%44%45%46%47%48%49%4A end', 'nightowl and passwords']) {
      expect(secrets.scrub(text)).toBe(text);
    }
  });

  it('reads no escapes for an account with no letters-only secret: the same answer as before', () => {
    const keys = new SecretSet();
    keys.add('Dnb7Kq8Rw2Zx4LmTpQ');
    expect(keys.scrub(`vm ${written(LETTERS.slice(0, 10), (code) => `%${hex(code, 2)}`)} end`)).toBe(`vm ${written(LETTERS.slice(0, 10), (code) => `%${hex(code, 2)}`)} end`);
  });
});
