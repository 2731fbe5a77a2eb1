import { describe, expect, it } from 'vitest';
import { readEscapes } from '../../src/upstream/escape-reading.js';
import { EscapedSecretSearch } from '../../src/upstream/escaped-secrets.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A full-width letter or digit (U+FF01-U+FF5E, which NFKC reads as its ASCII one) written as
 * Python's (and C's) 8-digit escape `\U0000ff53`: the readers of escapes read `\uFF53` and
 * `\u{ff53}`, not this, so a secret written all in them went out whole, and one such letter inside
 * it (`Dnb7Kq8\U0000ff32w2Zx4LmTpQ`) left the 7 characters before it. The answers below are the
 * text a provider sends, written out as such (a backslash in them is the answer's).
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

/** `quoted` inside a JSON string as a provider's answer text holds it (no escaping added). */
const answer = (quoted: string): string => `{"note":"vm ${quoted} end"}`;
/** `char`'s full-width form as Python's 8-digit escape after `backslash`. */
const longFullWidth = (char: string, backslash = '\\'): string => `${backslash}U${(char.charCodeAt(0) + 0xfee0).toString(16).padStart(8, '0')}`;

describe("Python's 8-digit \\U escape of a full-width letter or digit", () => {
  it.each([
    [[...SECRET].map((char) => longFullWidth(char)).join(''), 'every letter and digit'],
    [[...SECRET].map((char) => longFullWidth(char)).join('').toUpperCase(), 'every one, capital hex'],
    [[...SECRET].map((char) => longFullWidth(char, '\\\\')).join(''), 'every one, two backslashes (a JSON string holding the literal)'],
    [`Dnb7Kq8${longFullWidth('R')}w2Zx4LmTpQ`, 'one letter inside the secret'],
    [`Dnb7Kq8Rw2Zx4LmTp${longFullWidth('Q')}`, 'the last letter'],
    [`${longFullWidth('D')}nb7Kq8Rw2Zx4LmTpQ`, 'the first letter'],
  ])('redacts %s (%s) whole', (quoted) => {
    expect(secrets.scrub(answer(quoted))).toBe(answer('[redacted]'));
  });

  it('redacts it in an answer scrubbed a piece per turn', async () => {
    const quoted = [...SECRET].map((char) => longFullWidth(char)).join('');
    const text = `[${Array.from({ length: 400 }, (_, index) => `{"id":${index},"note":"vm ${index}"}`).join(',')},${answer(quoted)}]`;
    const scrubbed = await secrets.scrubAnswer(text, { charsPerTurn: 1024 });
    expect(scrubbed).toContain(answer('[redacted]'));
    expect(scrubbed).not.toContain('U0000ff');
  });

  it('is read as its \\u form is, in the full-width block only, exactly 8 digits', () => {
    expect(readEscapes(String.raw`a\U0000ff53\U0000FF24\U0000ff010`)).toBe('aｓＤ！0');
    expect(new EscapedSecretSearch(['never']).mayShow(String.raw`\U0000ff53`)).toBe(true);
    for (const text of [String.raw`a\U0000ff5 b`, String.raw`a\U0000ff60b`, String.raw`a\U0000fe53b`, String.raw`C:\Users\U0000ff`]) expect(readEscapes(text), text).toBe(text);
  });

  it('leaves full-width letters no secret holds as they came (a guard)', () => {
    const text = answer(`Tom ${[...'Jerry'].map((char) => longFullWidth(char)).join('')} ${[...'Dnb7Kq8'].map((char) => longFullWidth(char)).join('')}`);
    expect(secrets.scrub(text)).toBe(text);
  });
});
