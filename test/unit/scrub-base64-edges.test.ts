import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A Basic header quoted back with its base64 cut every 7 characters by a joiner (the simulators'
 * `wordsCutBy`) is found by the pieces of the password's base64, which hold only the characters
 * the password alone decides: the character holding the last bits of "user:" and the first of the
 * password stayed before the redaction, and the one holding the password's last bits, with the
 * padding, after it (`[redacted]E=`: 4 bits of the pair's last character and its length mod 3).
 * Now no character holding a bit of the password stands beside the redaction, at any of the three
 * alignments (the pair's length mod 3), however the padding is written; and a pair or a password
 * inside the base64 of a longer text at each alignment loses both edge characters.
 */
const USER = 'sim-ops@example.com';
/** The pair `USER:password` is 0, 1 and 2 bytes past a multiple of 3 (no padding, "==", "="). */
const PASSWORDS = ['Dnb7Kq8Rw2Zx4LmTpQa', 'Dnb7Kq8Rw2Zx4LmTpQab', 'Dnb7Kq8Rw2Zx4LmTpQ'];
const JOINERS = ['-', '\\u002d', '%2D', '\\u005c\\u005c\\u005c\\u005c\\u002d', '&#45;'];
const PADDINGS = ['=', '%3D', '\\u003d', '%253D', '&#61;'];

function secretsOf(password: string): SecretSet {
  const secrets = new SecretSet();
  secrets.add(password);
  secrets.add(`${USER}:${password}`, { base64: true, pieces: false });
  return secrets;
}

const base64 = (text: string): string => Buffer.from(text).toString('base64');
/** Every run of letters and digits longer than 7 cut every 7 characters by `between` (the simulators' withWordsCut). */
const cutWords = (text: string, between: string): string => text.replace(/[A-Za-z0-9]{8,}/g, (word) => word.match(/.{1,7}/g)!.join(between));
/** How many of the pair's base64 characters hold bits of "user:" alone. */
const userOnly = Math.floor(((USER.length + 1) * 8) / 6);

describe('a Basic header cut by joiners leaves no base64 character of the password beside the redaction', () => {
  for (const password of PASSWORDS) {
    const pair = `${USER}:${password}`;
    const mod = Buffer.byteLength(pair) % 3;
    for (const between of JOINERS) {
      it(`pair length mod 3 = ${mod}, cut by ${JSON.stringify(between)}`, () => {
        const header = base64(pair);
        const scrubbed = secretsOf(password).scrub(`Authorization "Basic ${cutWords(header, between)}" rejected`);
        const [before, after] = scrubbed.split('[redacted]') as [string, string];
        expect(after).toBe('" rejected');
        const shown = before.replace('Authorization "Basic ', '').split(between).join('');
        expect(header.startsWith(shown) && shown.length <= userOnly, `${JSON.stringify(scrubbed)} shows ${shown}`).toBe(true);
      });
    }
  }

  it('with a "/" among the base64 characters beside the last edge (base64\'s own, not a joiner there)', () => {
    const password = 'Dnb7Kq8Rw2Zx4LmTxy?>';
    const header = base64(`${USER}:${password}`);
    expect(header.endsWith('Hk/Pg==')).toBe(true);
    // Cut by "." (a "-" is counted for this secret: its URL-safe base64 holds one).
    for (const between of ['.', '\\u002e']) {
      expect(secretsOf(password).scrub(`Authorization "Basic ${cutWords(header, between)}" rejected`)).toMatch(/\[redacted\]" rejected$/);
    }
  });

  for (const padding of PADDINGS) {
    it(`the padding written ${padding} goes too`, () => {
      const password = 'Dnb7Kq8Rw2Zx4LmTpQab';
      const header = base64(`${USER}:${password}`).replace(/=/g, padding);
      const scrubbed = secretsOf(password).scrub(`Authorization "Basic ${cutWords(header, '-')}" rejected`);
      expect(scrubbed).toMatch(/\[redacted\]" rejected$/);
    });
  }
});

describe("a secret inside a longer text's base64, at each alignment, loses both edge characters", () => {
  for (const password of PASSWORDS) {
    for (const before of ['', 'x', 'xy']) {
      it(`${password.length} characters after ${before.length} bytes, as it stands and cut by joiners`, () => {
        const secrets = secretsOf(password);
        const encoded = base64(`${before}${password}\n`);
        const start = Math.floor((before.length * 8) / 6);
        const end = Math.ceil(((before.length + password.length) * 8) / 6);
        const expected = `[${encoded.slice(0, start)}[redacted]${encoded.slice(end)}]`;
        expect(secrets.scrub(`[${encoded}]`)).toBe(expected);
        expect(secrets.scrub(`[${cutWords(encoded, '\\u002d')}]`).split('\\u002d').join('')).toBe(expected);
      });
    }
  }

  it('a pair inside a longer base64 at offset 1 and 2 loses the characters holding its first and last bits', () => {
    const password = 'Dnb7Kq8Rw2Zx4LmTpQ';
    const secrets = secretsOf(password);
    for (const before of ['x', 'xy']) {
      const encoded = base64(`${before}${USER}:${password}\nmore text after it`);
      const start = Math.floor((before.length * 8) / 6);
      const end = Math.ceil(((before.length + USER.length + 1 + password.length) * 8) / 6);
      expect(secrets.scrub(encoded)).toBe(`${encoded.slice(0, start)}[redacted]${encoded.slice(end)}`);
    }
  });
});
