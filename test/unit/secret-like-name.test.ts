import { describe, expect, it } from 'vitest';
import { HOLDS_SECRET, TOKEN_FORM, secretLikeNameProblem } from '../../src/config/secret-like-name.js';

/**
 * secret-like-name.ts asked directly: the bounds of a credential found in a name (8 characters) and of a
 * word of a token's form (24, letters and digits both), and the refusals' words (mutation testing,
 * 2026-12-07: each passed `config-secret-like-account-name`, which asks only far from the bounds).
 */
const SHOWN = ': the name is shown to callers and written in logs and metrics labels, where a secret would leak: write a name for people (or leave name out: the id is shown)';

describe('secretLikeNameProblem', () => {
  it('finds a credential of 8 characters or more in the name, and none shorter', () => {
    expect(secretLikeNameProblem('Main k8Rw2Zx4 site', new Set(['k8Rw2Zx4']))).toBe(`${HOLDS_SECRET}${SHOWN}`);
    expect(secretLikeNameProblem('Main k8Rw2Zx site', new Set(['k8Rw2Zx']))).toBeUndefined();
    expect(secretLikeNameProblem('Amsterdam', new Set(['a', 'Am', 'dam']))).toBeUndefined();
  });

  it('takes a word of 24 characters mixing letters and digits for a token, and none of 23, of letters alone or of digits alone', () => {
    expect(secretLikeNameProblem('x Dnb7Kq8Rw2Zx4LmT9pQ3vW8y', new Set())).toBe(`${TOKEN_FORM}${SHOWN}`);
    expect(secretLikeNameProblem('x Dnb7Kq8Rw2Zx4LmT9pQ3vW8', new Set())).toBeUndefined();
    expect(secretLikeNameProblem('123456789012345678901234567', new Set())).toBeUndefined();
    expect(secretLikeNameProblem('Rack 7', new Set())).toBeUndefined();
  });

  it('says what is wrong in words a person reads, the secret not quoted', () => {
    expect(HOLDS_SECRET).toBe("holds a secret of this config (a provider's token, password or API key, or a client's key; not quoted)");
    expect(TOKEN_FORM).toBe('has the form of a pasted token or key, not a name (a word of 24 or more characters mixing letters and digits; not quoted)');
  });
});
