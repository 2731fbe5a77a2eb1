import { describe, expect, it } from 'vitest';
import { readEscapedJoiners } from '../../src/upstream/escaped-joiners.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A joiner's escape (or a quote's) with a space or two between it and an escaped letter or digit
 * (`Dnb7 &amp; %4Bq8R...`, `Dnb7Kq&#56; &amp; Rw2Zx4L`): its escape was read past spaces only
 * where a letter or digit stood as it is, so the piece search, which reads `Dnb7 & Kq8R`, never
 * saw the joiner read, and the pieces on either side of it went out.
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

describe("a joiner's escape with spaces between it and an escaped letter or digit", () => {
  it.each([
    ['Dnb7 &amp; %4Bq8Rw2Zx4LmT', 'an escaped letter after'],
    ['Dnb7Kq8 &amp; %52w2Zx4L', 'an escaped letter after, 7 either side'],
    ['Dnb7Kq8 &lt;  &#82;w2Zx4L', 'two spaces then a numeric reference'],
    ['Dnb7Kq8 %26 \\u0052w2Zx4L', 'spaces, then \\u0052'],
    ['Dnb7Kq8 %2F %2552w2Zx4L', 'an escaped letter encoded again'],
    ['Dnb7Kq&#56; &amp; Rw2Zx4L', 'an escaped digit ending in ";" before'],
    ['Dnb7Kq&#56; &amp; &#82;w2Zx4L', 'escaped letters on both sides'],
    ['Dnb7Kq&#56;  &lt;Rw2Zx4L', 'an escaped digit before, spaces on that side alone'],
    ['Dnb7Kq8&quot; %52w2Zx4L', "a quote's escape then an escaped letter"],
  ])('redacts %j (%s) whole', (quoted) => {
    expect(secrets.scrub(`note: ${quoted} end`)).toBe('note: [redacted] end');
    expect(secrets.scrub(JSON.stringify({ note: `${quoted} end` }))).toBe('{"note":"[redacted] end"}');
  });

  it('reads the joiner with the escaped letter, and not past three spaces', () => {
    expect(readEscapedJoiners('a &amp; %4Bb')?.text).toBe('a & Kb');
    expect(readEscapedJoiners('a&#56; &amp; b')?.text).toBe('a8 & b');
    expect(readEscapedJoiners('a   &amp; %4Bb')?.text).toBe('a   &amp; Kb');
    expect(readEscapedJoiners('a&#56;   &amp; b')?.text).toBe('a8   &amp; b');
  });

  it('leaves ` &amp; ` beside escaped letters that make no 8 characters of it as it came', () => {
    for (const text of ['Tom &amp; %4Aerry', 'Dnb7 &amp; %4Bq8', 'R&#38;D &amp; &#65;T&amp;T']) expect(secrets.scrub(text)).toBe(text);
  });
});
