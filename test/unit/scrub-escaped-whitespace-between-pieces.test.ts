import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A secret quoted in two pieces of 7 with whitespace between them that a JSON string writes in a way
 * the piece search did not pass over, each leaving 7 characters on either side:
 * JSON's `\u0020`, `\u0009`, `\u000a`, `\u000d` (no encoder writes them; a hostile one may), alone
 * or beside a joiner; JSON's `\t` escaped again (`\\t`: JSON inside a JSON string) after a joiner;
 * and JSON's `\t` after a double quote, its escape or `\"`. The answers below are the text a
 * provider sends, written out as such (a backslash in them is the answer's).
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

/** `quoted` inside a JSON string as a provider's answer text holds it (no escaping added). */
const answer = (quoted: string): string => `{"note":"vm ${quoted} end"}`;

describe("JSON's \\u escape of ASCII whitespace between two pieces", () => {
  it.each([
    [String.raw`Dnb7Kq8\u0020Rw2Zx4L`, 'a space'],
    [String.raw`Dnb7Kq8\u0009Rw2Zx4L`, 'a tab'],
    [String.raw`Dnb7Kq8\u000aRw2Zx4L`, 'a line feed'],
    [String.raw`Dnb7Kq8\u000ARw2Zx4L`, 'a line feed, capital hex'],
    [String.raw`Dnb7Kq8\u000d\u000aRw2Zx4L`, 'CR LF'],
    [String.raw`Dnb7Kq8\u0020\u0020\u0020Rw2Zx4L`, 'three spaces'],
    [String.raw`Dnb7Kq8\u002bRw2Zx4L`, 'a "+"'],
    [String.raw`Dnb7Kq8\u0020-Rw2Zx4L`, 'a space before a joiner'],
    [String.raw`Dnb7Kq8-\u0020Rw2Zx4L`, 'a space after a joiner'],
    [String.raw`Dnb7Kq8 -\u0009Rw2Zx4L`, 'a space, a joiner, a tab'],
    [String.raw`Dnb7Kq8\u0020&lt;\u0020Rw2Zx4L`, "a joiner's escape between two"],
    [String.raw`Dnb7Kq8\"\u0020Rw2Zx4L`, 'after an escaped quote'],
  ])('redacts %s (%s) whole', (quoted) => {
    expect(secrets.scrub(answer(quoted))).toBe(answer('[redacted]'));
  });

  it('redacts it in an answer scrubbed a piece per turn', async () => {
    const long = `[${Array.from({ length: 400 }, (_, index) => `{"id":${index},"note":"vm ${index}"}`).join(',')},${answer(String.raw`Dnb7Kq8\u0020Rw2Zx4L`)}]`;
    const scrubbed = await secrets.scrubAnswer(long, { charsPerTurn: 1024 });
    expect(scrubbed).toContain(answer('[redacted]'));
    expect(scrubbed).not.toMatch(/Dnb7Kq8|Rw2Zx4L/);
  });

  it('leaves such an escape between words no secret holds as it came (a guard)', () => {
    const text = answer(String.raw`Tom\u0020&amp;\u0020Jerry Dnb7\u0020Kq8`);
    expect(secrets.scrub(text)).toBe(text);
  });
});

describe("JSON's escaped whitespace escaped again after a joiner", () => {
  it.each([
    [String.raw`Dnb7Kq8-\\tRw2Zx4L`, 'a tab'],
    [String.raw`Dnb7Kq8 /\\nRw2Zx4L`, 'a space, a slash, a line feed'],
    [String.raw`Dnb7Kq8-\\r\\nRw2Zx4L`, 'CR LF'],
    [String.raw`Dnb7Kq8 &lt;\\tRw2Zx4L`, "a joiner's escape"],
    [String.raw`Dnb7Kq8-\\t%52w2Zx4L`, 'then an escaped letter'],
  ])('redacts %s (%s) whole', (quoted) => {
    expect(secrets.scrub(answer(quoted))).toBe(answer('[redacted]'));
  });

  it('redacts it for a key beside a password holding the joiner (each group of secrets searches such an answer)', () => {
    const withPassword = new SecretSet();
    withPassword.add(SECRET);
    withPassword.add('zstack-Pass-2024');
    expect(withPassword.scrub(answer(String.raw`Dnb7Kq8-\\tRw2Zx4L`))).toBe(answer('[redacted]'));
  });
});

describe("a double quote before JSON's escaped whitespace", () => {
  it.each([
    [String.raw`Dnb7Kq8&quot;\tRw2Zx4L`, "HTML's escape, a tab"],
    [String.raw`Dnb7Kq8&#34;\nRw2Zx4L`, 'a numeric reference, a line feed'],
    [String.raw`Dnb7Kq8\"\tRw2Zx4L`, "JSON's escape, a tab"],
    [String.raw`Dnb7Kq8\"\\tRw2Zx4L`, "JSON's escape, a tab escaped again"],
    [String.raw`Dnb7Kq8&quot;\t%52w2Zx4L`, 'then an escaped letter'],
  ])('redacts %s (%s) whole', (quoted) => {
    expect(secrets.scrub(answer(quoted))).toBe(answer('[redacted]'));
  });

  it("redacts a URL's escape of a quote before them, which the piece search passes over anywhere (a guard)", () => {
    expect(secrets.scrub(answer(String.raw`Dnb7Kq8%22\r\nRw2Zx4L`))).toBe(answer('[redacted]'));
  });

  it('leaves a quote with whitespace on both sides counted, as before (a guard)', () => {
    const text = answer(String.raw`Dnb7Kq8 &quot;\tRw2Zx4L`);
    expect(secrets.scrub(text)).toBe(text);
  });
});
