import { describe, expect, it } from 'vitest';
import { holdsHidden } from '../../src/upstream/invisible-characters.js';
import { SecretSet } from '../../src/upstream/secrets.js';

const KEY = 'Dnb7Kq8Rw2Zx4LmT';

describe('an invisible character written as a percent-encoded HTML reference (`%26%23x200b%3B`)', () => {
  const hidden = ['%26#8203;', '%26%23x200b%3B', '%2526%2523x200b%253B', '%26ZeroWidthSpace;', '%26shy;', '%2526nbsp;'];

  it('is found by the check that sends an answer to the hidden-character reading', () => {
    for (const reference of hidden) expect(holdsHidden(`a${reference}b`), reference).toBe(true);
    expect(holdsHidden('a%26b %2526 %26amp; plain')).toBe(false);
  });

  it("is read past inside a secret: the secret's text never survives", () => {
    const secrets = new SecretSet();
    secrets.add(KEY);
    for (const reference of hidden) {
      const out = secrets.scrub(`key ${KEY.slice(0, 8)}${reference}${KEY.slice(8)} end`);
      expect(out, reference).not.toContain(KEY.slice(0, 8));
      expect(out, reference).not.toContain(KEY.slice(8));
    }
  });
});
