import { describe, expect, it } from 'vitest';
import { readEscapedJoiners } from '../../src/upstream/escaped-joiners.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * "@" and "`" are no hex digits, though each is a letter's neighbour in ASCII once the case bit is
 * set (`"@" | 0x20` is "`", just before "a"): `%4@` is no escape to a URL's decoder, `\x4@` none
 * to a literal's, `&#x4@;` none to HTML's. Read as hex 9 they read as "I" (an escape of a letter,
 * read wherever it stands), and ordinary text holding them (`50%4@...`, an address after a
 * percent) was read as a secret it does not hold, and redacted.
 */
describe("'@' and '`' are no hex digits in an escape", () => {
  it.each(['a%4@b', 'a%4`b', 'a\\x4@b', 'a\\u004@b', 'a&#x4@;b', 'a%2@b'])('%s reads as no escape', (text) => {
    expect(readEscapedJoiners(text)).toBeNull();
  });

  it('leaves a text that no decoder reads as a secret as it is', () => {
    const secrets = new SecretSet();
    secrets.add('Dnb7Kq8IRw2Zx4L');
    for (const text of ['Dnb7Kq8%4@Rw2Zx4L', 'Dnb7Kq8\\x4`Rw2Zx4L']) expect(secrets.scrub(text)).toBe(text);
  });

  it('reads their neighbours that are hex digits (guards)', () => {
    expect(readEscapedJoiners('a%49b')?.text).toBe('aIb');
    expect(readEscapedJoiners('a%4ab')?.text).toBe('aJb');
    expect(readEscapedJoiners('a%4Ab')?.text).toBe('aJb');
  });
});
