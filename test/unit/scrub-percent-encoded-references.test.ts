import { describe, expect, it } from 'vitest';
import { readEscapedJoiners } from '../../src/upstream/escaped-joiners.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A numeric reference URL-encoded as a URL encoder writes it: `&#68;` is `%26%2368%3B`, its "#" and
 * ";" encoded as its "&" was, its digits left (`%2526%252368%253B` once more). `%26lt%3B` was read
 * (an escape of "&" read on with what follows), but after `%26` only a plain "#" started a number:
 * `%26%2368%3Bnb7Kq8R` ("Dnb7Kq8R" to a reader that decodes the URL, then the HTML) went out whole,
 * and `Dnb7Kq8%26%2360%3BRw2Zx4LmT` kept its first 7 where `%26lt%3B` there redacted it all.
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

describe('a numeric reference URL-encoded', () => {
  it.each([
    ['decimal', 'a %26%2368%3Bnb7Kq8R b'],
    ['hex', 'a %26%23x44%3Bnb7Kq8R b'],
    ['lower-case hex digits of the escapes', 'a %26%23x44%3bnb7Kq8R b'],
    ['without its ";"', 'a %26%2368nb7Kq8R b'],
    ['with a plain ";"', 'a %26%2368;nb7Kq8R b'],
    ['encoded twice', 'a %2526%252368%253Bnb7Kq8R b'],
    ['inside &amp;, its ";" encoded too', 'a %26amp%3B%2368%3Bnb7Kq8R b'],
    ['every letter so', `a ${[...SECRET.slice(2, 10)].map((char) => `%26%23${char.charCodeAt(0)}%3B`).join('')} b`],
  ])('a piece written with a letter so (%s) is redacted whole', (_name, text) => {
    expect(secrets.scrub(text)).toBe('a [redacted] b');
  });

  it('a joiner so between two halves is read as %26lt%3B is', () => {
    expect(secrets.scrub('a Dnb7Kq8%26lt%3BRw2Zx4LmT b')).toBe('a [redacted] b');
    expect(secrets.scrub('a Dnb7Kq8%26%2360%3BRw2Zx4LmT b')).toBe('a [redacted] b');
    expect(secrets.scrub('a Dnb7Kq8%2526%252360%253BRw2Zx4LmT b')).toBe('a [redacted] b');
  });

  it('reads the reference as the character, and "#" or ";" encoded other than the "&" as no reference', () => {
    expect(readEscapedJoiners('x%26%2368%3By')?.text).toBe('xDy');
    expect(readEscapedJoiners('x%26lt%3By')?.text).toBe('x<y');
    // "#" encoded twice after an "&" encoded once is no reference to a reader decoding the URL once, then the HTML.
    expect(readEscapedJoiners('x %26%252368%3Bnb7Kq8R y')?.text).not.toContain('D');
    expect(secrets.scrub('x %26%2366%3Bnb7Kq8R y')).toBe('x %26%2366%3Bnb7Kq8R y');
  });
});

describe('a "#" or ";" encoded other than the "&" was: no reference, the words stay as they were', () => {
  // Each row read as a reference would redact `nb7Kq8R` (7 characters, no piece) or join `Dnb7Kq8` to
  // the redacted rest: what a reader decoding the URL once, then the HTML, does not see there.
  it.each([
    ['"#" not percent-encoded at all after %26', 'x %26Z2368%3Bnb7Kq8R y', 'x %26Z2368%3Bnb7Kq8R y'],
    ['another character percent-encoded in place of "#" (%41)', 'x %26%4168%3Bnb7Kq8R y', 'x %26%4168%3Bnb7Kq8R y'],
    ['another character percent-encoded in place of ";" (%41)', 'x Dnb7Kq8%26%2360%41Rw2Zx4LmT y', 'x Dnb7Kq8%26%2360%41Rw2Zx4LmT y'.replace('Rw2Zx4LmT', '[redacted]')],
    ['a level of "#" encoded twice that is %2A, not %25', 'x %2526%2A2368%253Bnb7Kq8R y', 'x %2526%2A2368%253Bnb7Kq8R y'],
    ['a level of "#" encoded twice that is %2F, not %25', 'x %2526%2F2368%253Bnb7Kq8R y', 'x %2526%2F2368%253Bnb7Kq8R y'],
    ['a level of ";" encoded twice that is %2A, not %25', 'x %2526%252368%2A3Bnb7Kq8R y', 'x %2526%252368%2A3Bnb7Kq8R y'],
    ['a level of ";" encoded twice that is %35, not %25', 'x %2526%252368%353Bnb7Kq8R y', 'x %2526%252368%353Bnb7Kq8R y'],
    ['a named reference\'s ";" at a level %2A', 'x Dnb7Kq8%2526lt%2A3BRw2Zx4LmT y', 'x Dnb7Kq8%2526lt%2A3B[redacted] y'],
    ['a named reference\'s ";" at a level %35', 'x Dnb7Kq8%2526lt%353BRw2Zx4LmT y', 'x Dnb7Kq8%2526lt%353B[redacted] y'],
  ])('%s', (_how, text, scrubbed) => {
    expect(secrets.scrub(text)).toBe(scrubbed);
  });
});

describe('a long answer scrubbed a piece per turn', () => {
  it('redacts a URL-encoded reference as the whole answer scrubbed at once does, a cut beside one kept away', async () => {
    const rows = Array.from({ length: 120 }, (_, index) => `{"id":${index},"name":"vm-${index}"}`);
    rows.splice(30, 0, '{"d":"%26%2368%3Bnb7Kq8R"}');
    rows.splice(70, 0, '{"d":"x,%26%2375%3B,%26%23113%3B8Rw2Zx4L,y"}');
    rows.splice(100, 0, '{"d":"Dnb7Kq8%26%2360%3BRw2Zx4LmT"}');
    const text = `[${rows.join(',')}]`;
    const whole = secrets.scrub(text);
    expect(whole.match(/\[redacted\]/g)).toHaveLength(3);
    for (const charsPerTurn of [16, 40, 200]) expect(await secrets.scrubAnswer(text, { charsPerTurn }), String(charsPerTurn)).toBe(whole);
  });
});
