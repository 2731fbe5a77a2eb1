import { describe, expect, it } from 'vitest';
import { readEscapedJoiners } from '../../src/upstream/escaped-joiners.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A quote written as an escape with a space or two between it and a piece of a secret on one side
 * (`b7Kq8Rw&quot; 2Zx4LmT`, `b7Kq8Rw \u00222Zx4LmT`, `%2522 `): the piece search passes over a bare
 * `"` and JSON's `\"` so, but the escapes of a quote were read between letters or digits only, and
 * 7 characters on either side went out. An apostrophe's escape (`&#39;`), which the piece search
 * passes over anywhere, is read as a joiner's is, a space or two on either side or both.
 */
const SECRET = 'b7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

describe("a quote's escape beside a space inside a secret", () => {
  it.each([
    ['b7Kq8Rw&quot; 2Zx4LmT', 'an HTML reference then a space'],
    ['b7Kq8Rw &quot;2Zx4LmT', 'a space then an HTML reference'],
    ['b7Kq8Rw&#34;  2Zx4LmT', 'a numeric reference then two spaces'],
    ['b7Kq8Rw\t&#x22;2Zx4LmT', 'a tab then a hex reference'],
    ['b7Kq8Rw&quot 2Zx4LmT', 'a reference without ";" then a space'],
    ['b7Kq8Rw\\u0022 2Zx4LmT', "JSON's \\u0022 then a space"],
    ['b7Kq8Rw \\\\u00222Zx4LmT', 'a space then \\u0022 in JSON inside JSON'],
    ['b7Kq8Rw\\x22 2Zx4LmT', "a literal's \\x22 then a space"],
    ['b7Kq8Rw%22 2Zx4LmT', 'a URL escape then a space'],
    ['b7Kq8Rw%2522 2Zx4LmT', 'a URL escape encoded again then a space'],
    ['b7Kq8Rw %2522%32Zx4LmT', 'a space, a URL escape encoded again, an escaped digit'],
    ['b7Kq8Rw&amp;quot; 2Zx4LmT', 'an escaped reference then a space'],
    ['b7Kq8Rw&#39; 2Zx4LmT', "an apostrophe's reference then a space"],
    ['b7Kq8Rw &apos; 2Zx4LmT', "an apostrophe's reference with a space on both sides"],
  ])('redacts %j (%s) whole', (quoted) => {
    expect(secrets.scrub(`note: ${quoted} end`)).toBe('note: [redacted] end');
    expect(secrets.scrub(JSON.stringify({ note: `${quoted} end` }))).toBe('{"note":"[redacted] end"}');
  });

  it("reads a quote's escape with a space on one side as the quote, not with spaces on both sides or past two", () => {
    expect(readEscapedJoiners('a&quot; b')?.text).toBe('a" b');
    expect(readEscapedJoiners('a\t\\u0022b')?.text).toBe('a\t"b');
    expect(readEscapedJoiners('a  %2522b')?.text).toBe('a  "b');
    expect(readEscapedJoiners("a &#39;  b")?.text).toBe("a '  b");
    for (const text of ['a &quot; b', 'a \\u0022 b', 'a&quot;   b', 'a   &quot;b', ' &quot;b', 'a&quot; ', 'a&quot; /b', '/ &quot;b', 'a &#39;   b']) {
      expect(readEscapedJoiners(text), JSON.stringify(text)).toBeNull();
    }
  });

  it('keeps counting a quote escape with spaces on both sides or past two spaces, and a quoted word', () => {
    for (const text of ['note: b7Kq8Rw &quot; 2Zx4LmT end', 'note: b7Kq8Rw&quot;   2Zx4LmT end', 'say &quot;hello&quot; world', 'b7Kq8Rw &#34; 2Zx4LmT']) {
      expect(secrets.scrub(text)).toBe(text);
    }
  });
});
