import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A joiner (or its escape) beside JSON's escaped whitespace inside a JSON string
 * (`Dnb7Kq8 &lt;\tRw2Zx4L`: the tab a backslash and a "t" in the answer's text): the reading of
 * escapes and the piece search counted only whitespace as it stands beside a joiner, so the joiner
 * was counted and 7 characters of the secret stayed on either side of it.
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

describe("a joiner's escape beside JSON's escaped whitespace", () => {
  it.each([
    ['Dnb7Kq8 &lt;\tRw2Zx4L', 'a space before, a tab after'],
    ['Dnb7Kq8 &lt;\nRw2Zx4L', 'a space before, a newline after'],
    ['Dnb7Kq8 &lt;\r\nRw2Zx4L', 'a space before, CR LF after'],
    ['Dnb7Kq8\t&lt;\tRw2Zx4L', 'tabs on both sides'],
    ['Dnb7Kq8\n&amp; Rw2Zx4L', 'a newline before, a space after'],
    ['Dnb7Kq8&lt;\tRw2Zx4L', 'a tab after alone'],
    ['Dnb7Kq8 %2F\t%52w2Zx4L', 'a tab then an escaped letter'],
    ['Dnb7Kq8 -\tRw2Zx4L', 'a plain joiner, a tab after'],
    ['Dnb7Kq8 -\t\t&#82;w2Zx4L', 'a plain joiner, two tabs, then an escaped letter'],
    ['Dnb7Kq8 &lt;\r\n&#82;w2Zx4L', "a joiner's escape, CR LF, then an escaped letter"],
  ])('redacts %j (%s) whole inside a JSON string', (quoted) => {
    expect(secrets.scrub(JSON.stringify({ note: `${quoted} end` }))).toBe('{"note":"[redacted] end"}');
  });

  it('redacts it for a key beside a password holding the joiner (each group of secrets searches such an answer)', () => {
    const withPassword = new SecretSet();
    withPassword.add(SECRET);
    withPassword.add('zstack-Pass-2024');
    expect(withPassword.scrub(JSON.stringify({ note: 'Dnb7Kq8 -\tRw2Zx4L end' }))).toBe('{"note":"[redacted] end"}');
  });

  it("leaves a quote's escape with whitespace on both sides counted, as before", () => {
    const json = JSON.stringify({ note: 'Dnb7Kq8 &quot;\tRw2Zx4L end' });
    expect(secrets.scrub(json)).toBe(json);
  });
});
