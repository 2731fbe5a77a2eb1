import { describe, expect, it } from 'vitest';
import { readHidden } from '../../src/upstream/invisible-characters.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * Python's (and C's) 8-digit escape `\U00000020` of whitespace or an invisible character between two
 * pieces of 7 of a secret: the second reading read the 4-digit `\u0020` and `\u200b` only, so each
 * of these left 7 characters on either side. The answers below are the text a provider sends,
 * written out as such (a backslash in them is the answer's).
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

/** `quoted` inside a JSON string as a provider's answer text holds it (no escaping added). */
const answer = (quoted: string): string => `{"note":"vm ${quoted} end"}`;

describe("Python's 8-digit \\U escape between two pieces", () => {
  it.each([
    [String.raw`Dnb7Kq8\U00000020Rw2Zx4L`, 'a space'],
    [String.raw`Dnb7Kq8\U00000009Rw2Zx4L`, 'a tab'],
    [String.raw`Dnb7Kq8\U000000a0Rw2Zx4L`, 'a no-break space'],
    [String.raw`Dnb7Kq8\U000000A0Rw2Zx4L`, 'a no-break space, capital hex'],
    [String.raw`Dnb7Kq8\U00003000Rw2Zx4L`, 'an ideographic space'],
    [String.raw`Dnb7Kq8\U0000002bRw2Zx4L`, 'a "+"'],
    [String.raw`Dnb7Kq8\U0000200bRw2Zx4L`, 'a zero-width space'],
    [String.raw`Dnb7Kq8\U0000200BRw2Zx4L`, 'a zero-width space, capital hex'],
    [String.raw`Dnb7Kq8\U00000001Rw2Zx4L`, 'a control character'],
    [String.raw`Dnb7Kq8\U0000feffRw2Zx4L`, 'the BOM'],
    [String.raw`Dnb7Kq8\U000e0041Rw2Zx4L`, 'a tag character (as repr writes it)'],
    [String.raw`Dnb7Kq8\U00000020-Rw2Zx4L`, 'a space before a joiner'],
    [String.raw`Dnb7Kq8\\U00000020Rw2Zx4L`, 'two backslashes (a JSON string holding the literal)'],
    [String.raw`Dnb7Kq8\\U0000200bRw2Zx4L`, 'two backslashes, a zero-width space'],
    [String.raw`Dnb7Kq8%5CU00000020Rw2Zx4L`, 'its backslash percent-encoded'],
  ])('redacts %s (%s) whole', (quoted) => {
    expect(secrets.scrub(answer(quoted))).toBe(answer('[redacted]'));
  });

  it('redacts it in an answer scrubbed a piece per turn', async () => {
    const long = `[${Array.from({ length: 400 }, (_, index) => `{"id":${index},"note":"vm ${index}"}`).join(',')},${answer(String.raw`Dnb7Kq8\U00000020Rw2Zx4L`)}]`;
    const scrubbed = await secrets.scrubAnswer(long, { charsPerTurn: 1024 });
    expect(scrubbed).toContain(answer('[redacted]'));
    expect(scrubbed).not.toMatch(/Dnb7Kq8|Rw2Zx4L/);
  });

  it('reads exactly 8 digits, as Python does: a ninth hex digit is a character of its own', () => {
    expect(readHidden(String.raw`a\U00000020bc`).text).toBe('a bc');
    expect(readHidden(String.raw`a\U0000200b0b`).text).toBe('a0b');
    expect(readHidden(String.raw`a\U0000020 b`).text).toBe(String.raw`a\U0000020 b`);
  });

  it('leaves such an escape between words no secret holds, and a Windows path, as they came (a guard)', () => {
    const text = answer(String.raw`Tom\U00000020Jerry Dnb7\U00000020Kq8 C:\\Users\\U0000`);
    expect(secrets.scrub(text)).toBe(text);
  });
});
