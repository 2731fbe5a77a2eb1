import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A secret quoted in two pieces of 7 with a double quote between them that a JSON document inside
 * a JSON string writes: `\"` escaped again is `\\\"` (three backslashes), and the piece search
 * passed over `"` and `\"` between letters or digits but not the quote behind more backslashes, so
 * 7 characters stayed on either side; likewise with a space or JSON's escaped whitespace beside it
 * (`\\\" `, `\\\"\\t`, `\\\"\u0020`, the forms the session's escaped-whitespace change reads after
 * `\"`). The answers below are the text a provider sends (a backslash in them is the answer's).
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

/** `quoted` inside a JSON string as a provider's answer text holds it (no escaping added). */
const answer = (quoted: string): string => `{"note":"vm ${quoted} end"}`;

describe('a double quote escaped twice or more between two pieces', () => {
  it.each([
    [String.raw`Dnb7Kq8\\\"Rw2Zx4L`, 'JSON in a JSON string'],
    [String.raw`Dnb7Kq8\\\\\\\"Rw2Zx4L`, 'that in a JSON string once more'],
    [String.raw`Dnb7Kq8\\\" Rw2Zx4L`, 'a space after it'],
    [String.raw`Dnb7Kq8 \\\"Rw2Zx4L`, 'a space before it'],
    [String.raw`Dnb7Kq8\\\"\\tRw2Zx4L`, "JSON's tab escaped again after it"],
    [String.raw`Dnb7Kq8\\\"\\u0020Rw2Zx4L`, "JSON's \\u0020 escaped again after it"],
    [String.raw`Dnb7Kq8\\\"\u0020Rw2Zx4L`, "JSON's \\u0020 after it"],
    [String.raw`Dnb7Kq8\\"Rw2Zx4L`, 'a backslash escaped, then a quote'],
  ])('redacts %s (%s) whole', (quoted) => {
    expect(secrets.scrub(answer(quoted))).toBe(answer('[redacted]'));
  });

  it('redacts it in an answer scrubbed a piece per turn', async () => {
    const long = `[${Array.from({ length: 400 }, (_, index) => `{"id":${index},"note":"vm ${index}"}`).join(',')},${answer(String.raw`Dnb7Kq8\\\"Rw2Zx4L`)}]`;
    const scrubbed = await secrets.scrubAnswer(long, { charsPerTurn: 1024 });
    expect(scrubbed).toContain(answer('[redacted]'));
    expect(scrubbed).not.toMatch(/Dnb7Kq8|Rw2Zx4L/);
  });

  it('leaves quotes so escaped between words no secret holds, and a JSON document in a string, as they came (a guard)', () => {
    const text = String.raw`{"doc":"{\"name\":\"Tom\\\" Jerry\",\"Dnb7Kq8\":\"Rw2Zx4L\"}"}`;
    expect(secrets.scrub(String.raw`{"note":"say \\\"Tom\\\" and Dnb7\\\"Kq8"}`)).toBe(String.raw`{"note":"say \\\"Tom\\\" and Dnb7\\\"Kq8"}`);
    expect(secrets.scrub(text)).toBe(text);
  });
});
