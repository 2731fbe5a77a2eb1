import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * Escapes between a secret's pieces that the scrubber read only one at a time and one level deep:
 * punctuation escaped beside a space or beside another escape (`Dnb7Kq8 &lt;Rw2Zx4LmT`,
 * `Dnb7Kq8&lt;%3CRw2Zx4LmT`) or percent-encoded twice (`%253C`) left the 9 characters after it;
 * whitespace or an invisible character as an HTML reference escaped four times
 * (`&amp;amp;amp;amp;nbsp;`) or percent-encoded three times (`%252526shy%25253B`) let a secret of
 * letters out whole.
 */
const MIXED = 'Dnb7Kq8Rw2Zx4LmT';
const LETTERS = 'nightowlpassword';

const secrets = new SecretSet();
for (const secret of [MIXED, LETTERS]) secrets.add(secret);

/** The mixed key with `between` after its 7th character. */
const splitMixed = (between: string): string => `${MIXED.slice(0, 7)}${between}${MIXED.slice(7)}`;

const BESIDE_A_SPACE = [' &lt;', '&lt; ', ' %3C', '%2F ', ' \\u002d', '\\x3c ', '  &#60;', '&#x2d;  ', '\n&lt;'];
const BESIDE_AN_ESCAPE = ['&lt;%3C', '%3C%3C', '&lt;&gt;', '\\u003c&lt;', '%2F\\x2f', '&#60;&#60;&#60;'];
const ENCODED_AGAIN = ['%253C', '%253c', '%252F', '%252d', '%25253C', ' %253C'];
const SPLITS_DEEPER = ['&amp;amp;amp;amp;nbsp;', '&amp;amp;amp;amp;shy;', '&amp;amp;amp;amp;#160;', '&#38;#38;#38;#38;#x200b;', '%252526shy%25253B', '%252526nbsp%25253B', '%252526%252523160%25253B', '%252526amp%25253Bnbsp%25253B'];

describe('the scrubber reads escapes beside a space or another escape, and nested one level deeper', () => {
  it.each(BESIDE_A_SPACE)('finds a secret of letters and digits with %j inside it', (between) => {
    expect(secrets.scrub(`key ${splitMixed(between)}!`)).toBe('key [redacted]!');
  });

  it.each(BESIDE_AN_ESCAPE)('finds a secret of letters and digits with %j inside it', (between) => {
    expect(secrets.scrub(`key ${splitMixed(between)}!`)).toBe('key [redacted]!');
  });

  it.each(ENCODED_AGAIN)('finds a secret of letters and digits with %j inside it', (between) => {
    expect(secrets.scrub(`key ${splitMixed(between)}!`)).toBe('key [redacted]!');
  });

  it.each(SPLITS_DEEPER)('finds secrets split by %j', (between) => {
    expect(secrets.scrub(`key ${splitMixed(between)}!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key nightowl${between}password!`)).toBe('key [redacted]!');
  });

  it('redacts them as scrubbed whole when a large answer is scrubbed a piece per turn', async () => {
    const rows = Array.from({ length: 200 }, (_, index) => `{"id":${index},"name":"vm-${index}"}`);
    rows[150] = `{"id":150,"name":"${splitMixed(' &lt;')} ${splitMixed('%253C')} ${splitMixed('&lt;%3C')} nightowl%252526shy%25253Bpassword"}`;
    const text = `[${rows.join(',')}]`;
    const scrubbed = await secrets.scrubAnswer(text, { charsPerTurn: 512 });
    expect(scrubbed).toBe(secrets.scrub(text));
    expect(scrubbed).toContain('"name":"[redacted] [redacted] [redacted] [redacted]"');
  });

  it('leaves these escapes alone where they make no secret, and fewer than 8 characters of one', () => {
    for (const text of [
      'a &lt; b %3C%3C c&lt;&gt;d e %253C f',
      'Tom &amp; Jerry, R &amp;D, Dnb7 &amp; Kq8',
      'Dnb7Kq8 &lt;xyz and Rw2Zx4',
      'Dnb7Kq8&lt;%3Cxyz',
      'https://x/?u=a%252Fb&amp;c=1',
      'x &amp;amp;amp;amp;nbsp; y %252526shy%25253B z',
      'night&amp;amp;amp;amp;nbsp;owl',
    ]) expect(secrets.scrub(text), text).toBe(text);
  });
});
