import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * What stands after a joiner and is no space, as it stands or JSON-escaped (`\t`, `\\t`:
 * jsonSpaceAt), keeps the joiner counted: punctuation before a "t", "n" or "r", or a backslash
 * before anything but those. The bound the piece search keeps: it reads a joiner between two
 * pieces past spaces only.
 */
describe('a joiner before what is no space', () => {
  it('counts a joiner before punctuation and a "t"', () => {
    const secrets = new SecretSet();
    secrets.add('Dnb7Kq8.tRw2Zx4L');
    expect(secrets.scrub('note: Dnb7Kq8-.tRw2Zx4L end')).toBe('note: Dnb7Kq8-[redacted] end');
  });

  it('counts a joiner before a backslash, a letter other than "t", "n" or "r", and a "t"', () => {
    const secrets = new SecretSet();
    secrets.add(String.raw`Dnb7Kq8\atRw2Zx4L`);
    expect(secrets.scrub(String.raw`note: Dnb7Kq8-\atRw2Zx4L end`)).toBe('note: Dnb7Kq8-[redacted] end');
  });

  it('counts a joiner before a backslash escaped once more and a "\\t" (a backslash and a tab once read)', () => {
    const secrets = new SecretSet();
    secrets.add('Dnb7Kq8Rw2Zx4LmTpQ');
    const text = String.raw`{"note":"vm Dnb7Kq8 -\\\tRw2Zx4L end"}`;
    expect(secrets.scrub(text)).toBe(text);
  });
});
