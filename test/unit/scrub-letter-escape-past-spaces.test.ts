import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A secret cut every 7 characters by a joiner's escape and a space or two, the letter after them
 * escaped too (`Dnb7Kq8 &amp; %52w2Zx4L`): escapesIn reads the letter past the spaces as an
 * escape (letterEscapeAt, through the memo of level ends). Read as no letter, the joiner's escape
 * was left, and 7 characters stayed on either side: the secret in three pieces.
 */
const secrets = new SecretSet();
secrets.add('Dnb7Kq8Rw2Zx4LmTpQ');

describe("a joiner's escape, spaces, then a letter's escape, between pieces of a secret", () => {
  it.each([
    'Dnb7Kq8 &amp; %52w2Zx4L &amp; %6DTpQ',
    'Dnb7Kq8&amp;\\t%52w2Zx4L&amp;\\t%6DTpQ',
    'Dnb7Kq8\\u002d %52w2Zx4L\\u002d %6DTpQ',
    'Dnb7Kq8&#45; &#82;w2Zx4L&#45; &#109;TpQ',
  ])('redacts %j', (cut) => {
    expect(secrets.scrub(`key ${cut}!`)).toBe('key [redacted]!');
  });

  it('redacts the joiner as it stands, spaces and a letter escape (a guard)', () => {
    expect(secrets.scrub('key Dnb7Kq8 - %52w2Zx4L - %6DTpQ!')).toBe('key [redacted]!');
  });
});
