import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * Punctuation between a secret's pieces written as an escape that is itself escaped again
 * (`&amp;lt;`, HTML inside HTML; `&#38;lt;`, `\u0026lt;`, `%26lt%3B`: an HTML reference inside
 * JSON or a URL) or percent-encoded four times (`%2525253C`): the escaped-joiner reading read one
 * level (`&lt;`) or three (`%25253C`), and the 7 characters before it stayed, readable.
 */
const MIXED = 'Dnb7Kq8Rw2Zx4LmT';
const secrets = new SecretSet();
secrets.add(MIXED);

const splitMixed = (between: string): string => `${MIXED.slice(0, 7)}${between}${MIXED.slice(7)}`;

const ESCAPED_AGAIN = ['&amp;lt;', '&amp;amp;lt;', '&amp;amp;amp;lt;', '&#38;lt;', '&#x26;#x3c;', '\\u0026lt;', '\\\\u0026lt;', '%26lt%3B', '%26#60;', '%2525253C', '%2525252F', '%5Cu003c', '&amp;lt; ', ' &amp;lt;'];

describe('an escaped escape of punctuation between a secret’s pieces', () => {
  it.each(ESCAPED_AGAIN)('leaves no piece of the secret beside %j', (between) => {
    expect(secrets.scrub(`key ${splitMixed(between)}!`)).toBe('key [redacted]!');
  });

  it('does the same scrubbing a long answer a piece per turn', async () => {
    const answer = JSON.stringify(ESCAPED_AGAIN.map((between) => ({ name: `vm ${splitMixed(between)}`, note: 'x'.repeat(40) })));
    const scrubbed = await secrets.scrubAnswer(answer, { charsPerTurn: 64 });
    expect(scrubbed).toBe(secrets.scrub(answer));
    expect(scrubbed).not.toContain(MIXED.slice(0, 7));
  });

  it('leaves escaped escapes alone in text that holds no secret, and ` &amp; ` between words', () => {
    for (const text of ['a &amp;lt;b&amp;gt; c', 'Dnb7Kq8&amp;lt;and more', 'x%2525253Cy', 'Dnb7Kq8 &amp; xyz', 'AT&amp;T and B&amp;amp;Q', 'Tom &amp; Jerry']) expect(secrets.scrub(text)).toBe(text);
  });

  it('redacts pieces of a secret on both sides of ` &amp; ` with spaces on both sides, as of ` & `', () => {
    expect(secrets.scrub('Dnb7Kq8 &amp; Rw2Z')).toBe('[redacted]');
    expect(secrets.scrub('Dnb7 &amp;amp; Kq8R end')).toBe('[redacted] end');
  });
});
