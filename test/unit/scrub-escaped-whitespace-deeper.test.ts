import { describe, expect, it } from 'vitest';
import { readHidden } from '../../src/upstream/invisible-characters.js';
import { jsonSpaceAt } from '../../src/upstream/secret-pieces.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * Whitespace escaped behind four backslashes (`\\\\u0020`, `-\\\\t`: the escape three JSON strings
 * deep, each doubling the backslashes before it) or eight (four deep, as deep as the search through
 * escapes reads): the second reading took one or two backslashes before an escape of whitespace,
 * the piece search JSON's `\t` behind one or two after a joiner, so a secret split by one left 7
 * characters on either side. The answers below are the text a provider sends, written out as such
 * (a backslash in them is the answer's).
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

/** `quoted` inside a JSON string as a provider's answer text holds it (no escaping added). */
const answer = (quoted: string): string => `{"note":"vm ${quoted} end"}`;
const FOUR = '\\\\\\\\';
const EIGHT = FOUR + FOUR;

describe('escaped whitespace behind four or eight backslashes', () => {
  it.each([
    [`Dnb7Kq8${FOUR}u0020Rw2Zx4L`, "JSON's escape of a space"],
    [`Dnb7Kq8${FOUR}u00a0Rw2Zx4L`, 'of a no-break space'],
    [`Dnb7Kq8${FOUR}x20Rw2Zx4L`, "a literal's \\x20"],
    [`Dnb7Kq8${FOUR}U00000020Rw2Zx4L`, "Python's 8-digit escape"],
    [`Dnb7Kq8${FOUR}u0020-Rw2Zx4L`, 'beside a joiner'],
    [`Dnb7Kq8${EIGHT}u0020Rw2Zx4L`, 'behind eight'],
    [`Dnb7Kq8${FOUR}u200bRw2Zx4L`, "an invisible character's escape, read by the same reading"],
    [`Dnb7Kq8-${FOUR}tRw2Zx4L`, "JSON's \\t after a joiner"],
    [`Dnb7Kq8 /${FOUR}nRw2Zx4L`, "a space, a slash, JSON's \\n"],
    [`Dnb7Kq8-${FOUR}r${FOUR}nRw2Zx4L`, 'CR LF after a joiner'],
    [`Dnb7Kq8-${EIGHT}tRw2Zx4L`, 'behind eight after a joiner'],
    [`Dnb7Kq8&lt;${FOUR}tRw2Zx4L`, "after a joiner's escape"],
    [`Dnb7Kq8&quot;${FOUR}tRw2Zx4L`, "after a quote's escape"],
    [`Dnb7Kq8\\"${FOUR}tRw2Zx4L`, "after JSON's escaped quote"],
  ])('redacts %s (%s) whole', (quoted) => {
    expect(secrets.scrub(answer(quoted))).toBe(answer('[redacted]'));
  });

  it('redacts it in an answer scrubbed a piece per turn', async () => {
    const text = `[${Array.from({ length: 400 }, (_, index) => `{"id":${index},"note":"vm ${index}"}`).join(',')},${answer(`Dnb7Kq8${FOUR}u0020Rw2Zx4L`)},${answer(`Dnb7Kq8-${FOUR}tRw2Zx4L`)}]`;
    const scrubbed = await secrets.scrubAnswer(text, { charsPerTurn: 1024 });
    expect(scrubbed).toContain(`${answer('[redacted]')},${answer('[redacted]')}`);
    expect(scrubbed).not.toMatch(/Dnb7Kq8|Rw2Zx4L/);
  });

  it('reads runs of any number of backslashes after a joiner: 3 and 5-7 hold a backslash of the text itself, 16 and more are deeper', () => {
    for (const [backslashes, width] of [[1, 2], [2, 3], [3, 4], [4, 5], [5, 6], [6, 7], [7, 8], [8, 9], [9, 10], [16, 17], [40, 41]] as const) {
      expect(jsonSpaceAt(`${'\\'.repeat(backslashes)}tR`, 0), `${backslashes} backslashes`).toBe(width);
    }
    expect(readHidden(`a${FOUR}u0020b`).text).toBe('a b');
    expect(readHidden(`a${EIGHT}x20b`).text).toBe('a b');
    // The text's own backslash stays before the space: the piece search passes over a backslash before whitespace.
    expect(readHidden(`a\\\\\\u0020b`).text).toBe('a\\\\ b');
  });

  it('leaves such whitespace between words no secret holds, and 7 characters of the secret, as they came (a guard)', () => {
    const text = answer(`Tom${FOUR}u0020&amp;${FOUR}u0020Jerry Dnb7-${FOUR}tKq8 C:${FOUR}Users${FOUR}tools`);
    expect(secrets.scrub(text)).toBe(text);
  });
});
