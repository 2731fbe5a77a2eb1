import { describe, expect, it } from 'vitest';
import { piecesOf, separatorsBeside } from '../../src/upstream/scrub-pieces.js';
import { REDACTED, SecretSet } from '../../src/upstream/secrets.js';

const KEY = "Ops'Key 4f9Qx-Tok";
/** A secret holding what reads as an escape: "tokAen-77" is found only through a reading of the answer. */
const ESCAPING = 'tok%41en-77';

function secretSet(): SecretSet {
  const secrets = new SecretSet();
  secrets.add(KEY);
  secrets.add(`ops-admin:${KEY}`, { base64: true });
  secrets.add(ESCAPING);
  return secrets;
}

const fullWidth = (text: string): string => [...text].map((char) => (char >= '!' && char <= '~' ? String.fromCharCode(char.charCodeAt(0) + 0xfee0) : char)).join('');
const quotes = [
  KEY,
  KEY.toUpperCase(),
  fullWidth(KEY),
  `Ops'Key${' '.repeat(40)}4f9Qx-Tok`,
  `Ops'Key${'\\n'.repeat(20)}4f9Qx-Tok`,
  [...KEY].map((char) => `&#x${(char.codePointAt(0) as number).toString(16).padStart(8, '0')};`).join(''),
  encodeURIComponent(KEY).replaceAll('%', '%25'),
  Buffer.from(`ops-admin:${KEY}`).toString('base64'),
  'tokAen-77',
];
/**
 * Records quoting the secrets, the escapes that make a reading worth it only in the last one: a
 * piece of the first ones has none, and is read through all the same, as the whole would be.
 */
const ANSWER = `[${quotes.map((quote, index) => `{"id":${index},"note":"x${quote}y"}`).join(',')},{"id":99,"note":"caf\\u00e9 %41"}]`;

describe('scrubbing an answer in pieces (SecretSet.scrubAnswer)', () => {
  it('scrubs it as the whole is scrubbed, whatever the pieces\' size', async () => {
    const secrets = secretSet();
    const whole = secrets.scrub(ANSWER);
    expect(whole).not.toContain('4f9Qx');
    expect(whole).not.toContain('tokAen');
    expect(whole.split(REDACTED)).toHaveLength(quotes.length + 1);
    const differing: number[] = [];
    for (let size = 1; size <= ANSWER.length; size++) if ((await secrets.scrubAnswer(ANSWER, { charsPerTurn: size })) !== whole) differing.push(size);
    expect(differing).toEqual([]);
  });

  it("scrubs a login's answer of the configured secrets only, in pieces too", async () => {
    const secrets = secretSet();
    secrets.addRuntime('session-0f3c9a7e');
    const text = `${ANSWER},{"session":"session-0f3c9a7e"}`;
    expect(await secrets.scrubAnswer(text, { login: true, charsPerTurn: 16 })).toBe(secrets.scrubConfigured(text));
    expect(await secrets.scrubAnswer(text, { charsPerTurn: 16 })).toBe(secrets.scrub(text));
  });

  it('scrubs whole the answers of an account whose secrets hold every separator', async () => {
    const secrets = new SecretSet();
    secrets.add('key,:[]<>()=!|~-77');
    expect(separatorsBeside(['key,:[]<>()=!|~-77'])).toBeNull();
    const text = `[${'{"a":"key,:[]<>()=!|~-77"},'.repeat(50)}0]`;
    expect(await secrets.scrubAnswer(text, { charsPerTurn: 8 })).toBe(secrets.scrub(text));
    expect(secrets.scrub(text)).not.toContain('key,');
  });
});

describe('piecesOf', () => {
  it('cuts just after the first separator at or past each piece size, keeping every character', () => {
    const separators = separatorsBeside(['secret:value']) as RegExp;
    expect(piecesOf('aaaa,   bb,   c:d,   eeeeee,   f', separators, 4)).toEqual(['aaaa,', '   bb,', '   c:d,', '   eeeeee,', '   f']);
    expect(piecesOf('abc', separators, 4)).toEqual(['abc']);
    expect(piecesOf('abcdefgh', separators, 4)).toEqual(['abcdefgh']);
  });

  it('never takes a character of a secret, in either case, for a separator', () => {
    const free = '[\\:\\[\\]\\<\\>\\(\\)\\!\\|\\~]';
    expect(separatorsBeside(['a,b', 'X=Y'])?.source).toBe(`(?<![A-Za-z0-9;][ \\t\\n\\r]{0,2})${free}|${free}(?![ \\t\\n\\r]{0,2}[A-Za-z0-9%&\\\\])`);
  });

  it('does not cut beside an escape of a letter or digit, which the piece search reads as one (%4b,%71 is "K,q")', () => {
    const separators = separatorsBeside(['Dnb7Kq8Rw2Zx4LmT']) as RegExp;
    for (const text of ['aaaa%4b,%71', 'aaaa&#75;,&#113;', 'aaaa\\u004b,\\u0071', 'aaaa&#75;,q', 'aaaaK,%71']) expect(piecesOf(text, separators, 4), text).toEqual([text]);
    // With no letter, digit or escape of one on one side, the piece search passes over none: cut there as before.
    expect(piecesOf('aaaa",%71', separators, 4)).toEqual(['aaaa",', '%71']);
    expect(piecesOf('aaaa,"%71', separators, 4)).toEqual(['aaaa,', '"%71']);
  });

  it('does not cut at a separator between two ASCII letters or digits, where the piece search passes over it (Dnb7:Kq8R)', () => {
    const separators = separatorsBeside(['Dnb7Kq8Rw2Zx4LmT']) as RegExp;
    expect(piecesOf('aaaa,bb,cc', separators, 4)).toEqual(['aaaa,bb,cc']);
    expect(piecesOf('a1b2:c3d4,"e5f6"', separators, 4)).toEqual(['a1b2:c3d4,', '"e5f6"']);
    // A space or two beside it, as the piece search passes over it there too (`4 -LmT`); three, no more.
    expect(piecesOf('a1b2 :c3d4', separators, 4)).toEqual(['a1b2 :c3d4']);
    expect(piecesOf('a1b2: \nc3d4', separators, 4)).toEqual(['a1b2: \nc3d4']);
    expect(piecesOf('a1b2   :c3d4', separators, 4)).toEqual(['a1b2   :', 'c3d4']);
    expect(piecesOf('a1b2:   c3d4', separators, 4)).toEqual(['a1b2:', '   c3d4']);
  });
});
