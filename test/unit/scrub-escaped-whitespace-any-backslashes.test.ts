import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * Whitespace escaped behind a run of backslashes other than 1, 2, 4 or 8: 3, 5, 6 or 7 (a backslash
 * of the text's own before the escape, or JSON's escape of one: `\\\u0020` is a backslash then a
 * space once read) or 16 and more (five JSON strings deep or deeper). The reading of escaped
 * whitespace read the escape as a space and left the text's own backslash before it, which the
 * piece search counted; after a joiner the piece search read JSON's `\t` behind 1, 2, 4 or 8 only.
 * Either way 7 characters stayed on either side, and a secret cut so every 7 characters went out
 * whole. Over-redaction is the price: a backslash before whitespace is passed over between pieces.
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

const answer = (quoted: string): string => `{"note":"vm ${quoted} end"}`;
const backslashes = (count: number): string => '\\'.repeat(count);
const COUNTS = [3, 5, 6, 7, 9, 16, 17, 32, 40];

describe('escaped whitespace behind any number of backslashes', () => {
  it.each(COUNTS)("redacts a secret split by JSON's escape of a space behind %i backslashes", (count) => {
    expect(secrets.scrub(answer(`Dnb7Kq8${backslashes(count)}u0020Rw2Zx4L`))).toBe(answer('[redacted]'));
  });

  it.each(COUNTS)("redacts a secret split by a joiner and JSON's \\t behind %i backslashes", (count) => {
    expect(secrets.scrub(answer(`Dnb7Kq8-${backslashes(count)}tRw2Zx4L`))).toBe(answer('[redacted]'));
  });

  it.each(COUNTS)('redacts a secret split by \\x20, a no-break space and an invisible character behind %i backslashes', (count) => {
    for (const escape of ['x20', 'u00a0', 'u200b', 'U00000020']) {
      expect(secrets.scrub(answer(`Dnb7Kq8${backslashes(count)}${escape}Rw2Zx4L`)), escape).toBe(answer('[redacted]'));
    }
  });

  it("redacts a secret split by a shell's escaped space, and after a joiner", () => {
    for (const between of ['\\ ', '\\\\ ', '-\\ ', '- \\\\\\ ', '&lt;\\\\\\t']) {
      expect(secrets.scrub(answer(`Dnb7Kq8${between}Rw2Zx4L`)), between).toBe(answer('[redacted]'));
    }
  });

  it('redacts a secret cut every 7 characters so, and in an answer scrubbed a piece per turn', async () => {
    const cut = `Dnb7Kq8${backslashes(3)}u0020Rw2Zx4L${backslashes(17)}u0020mTpQ`;
    expect(secrets.scrub(answer(cut))).toBe(answer('[redacted]'));
    const text = `[${Array.from({ length: 400 }, (_, index) => `{"id":${index},"note":"vm ${index}"}`).join(',')},${answer(cut)}]`;
    expect(await secrets.scrubAnswer(text, { charsPerTurn: 1024 })).toContain(answer('[redacted]'));
  });

  it('leaves backslashes and escaped whitespace between words no secret holds as they came (a guard)', () => {
    const text = answer(`C:${backslashes(3)}u0020Users${backslashes(16)}tTom - ${backslashes(5)}tJerry Dnb7-${backslashes(6)}tKq8`);
    expect(secrets.scrub(text)).toBe(text);
  });
});
