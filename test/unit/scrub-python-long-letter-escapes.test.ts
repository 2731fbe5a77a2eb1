import { describe, expect, it } from 'vitest';
import { readEscapes } from '../../src/upstream/escape-reading.js';
import { readEscapedJoiners } from '../../src/upstream/escaped-joiners.js';
import { holdsEscape } from '../../src/upstream/escaped-secrets.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * Python's (and C's) 8-digit escape `\U000000XX` of a letter, digit or joiner inside a secret: the
 * readers of escapes read the `\u00XX` and `\xXX` forms only, so `Dnb7Kq8\U00000052w2Zx4L` (for
 * `Dnb7Kq8Rw2Zx4L`) and `Dnb7Kq8\U0000002dRw2Zx4L` (a `-` between two pieces) left 7 characters on
 * either side, and a secret written all in them went out whole. The answers below are the text a
 * provider sends, written out as such (a backslash in them is the answer's).
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

/** `quoted` inside a JSON string as a provider's answer text holds it (no escaping added). */
const answer = (quoted: string): string => `{"note":"vm ${quoted} end"}`;
const long = (text: string): string => `\\U${text.charCodeAt(0).toString(16).padStart(8, '0')}`;

describe("Python's 8-digit \\U escape of a letter, digit or joiner", () => {
  it.each([
    [String.raw`Dnb7Kq8\U00000052w2Zx4L`, 'a letter between two pieces'],
    [String.raw`Dnb7Kq8Rw\U00000032Zx4LmT`, 'a digit'],
    [String.raw`Dnb7Kq8\U0000002dRw2Zx4L`, 'a "-" joining two pieces'],
    [String.raw`Dnb7Kq8\U0000002DRw2Zx4L`, 'a "-", capital hex'],
    [String.raw`Dnb7Kq8\U0000003cRw2Zx4L`, 'a "<" joining two pieces'],
    [String.raw`Dnb7Kq8 \U0000002d Rw2Zx4L`, 'a joiner with a space on either side'],
    [String.raw`Dnb7Kq8\\U00000052w2Zx4L`, 'two backslashes (a JSON string holding the literal)'],
    [String.raw`Dnb7Kq8%5CU00000052w2Zx4L`, 'its backslash percent-encoded'],
    [String.raw`Dnb7Kq8Rw2Zx4LmTp\U00000051`, 'the last letter of the whole secret'],
    [[...SECRET].map(long).join(''), 'every letter and digit'],
    [[...SECRET.slice(0, 8)].map(long).join(''), '8 characters, each escaped'],
  ])('redacts %s (%s) whole', (quoted) => {
    expect(secrets.scrub(answer(quoted))).toBe(answer('[redacted]'));
  });

  it('redacts it in an answer scrubbed a piece per turn', async () => {
    const text = `[${Array.from({ length: 400 }, (_, index) => `{"id":${index},"note":"vm ${index}"}`).join(',')},${answer(String.raw`Dnb7Kq8\U00000052w2Zx4L`)}]`;
    const scrubbed = await secrets.scrubAnswer(text, { charsPerTurn: 1024 });
    expect(scrubbed).toContain(answer('[redacted]'));
    expect(scrubbed).not.toMatch(/Dnb7Kq8|w2Zx4L/);
  });

  it('is read by each reader of escapes, exactly 8 digits as Python reads them, the first six zeros', () => {
    expect(holdsEscape(String.raw`a\U00000041`)).toBe(true);
    expect(readEscapes(String.raw`a\U00000041\U000000e9\U000000520`)).toBe('aAéR0');
    expect(readEscapedJoiners(String.raw`a\U00000041b`)?.text).toBe('aAb');
    expect(readEscapedJoiners(String.raw`a\\U0000002db`)?.text).toBe('a-b');
    for (const text of [String.raw`a\U0000041 b`, String.raw`a\U00000141b`, String.raw`C:\Users\U0000`]) {
      expect(readEscapes(text), text).toBe(text);
      expect(readEscapedJoiners(text), text).toBeNull();
    }
  });

  it('leaves such escapes no secret holds, 7 characters of one, and a Windows path, as they came (a guard)', () => {
    const text = answer(String.raw`Tom\U0000002dJerry \U00000041\U00000042 Dnb7\U0000004bq8 C:\\Users\\U0000`);
    expect(secrets.scrub(text)).toBe(text);
  });
});
