import { isPlainWord } from './usable-id.js';

/**
 * A provider account's `name` is shown to every caller who may see the account (`providers {
 * name }`), and written in logs and metrics labels, where a secret would stay long after it was
 * changed. A token or password pasted there (one line up or down from `auth:`) was taken without
 * a word. Refused, never quoted: a name for people is a small fix, a leaked secret is not.
 */

/** Shorter credentials are words a name may hold by chance (a password `admin`). */
const CREDENTIAL_MIN_CHARS = 8;

/** A word this long mixing letters and digits, and no plain word, is a token's form, not a name's. */
const TOKEN_MIN_CHARS = 24;

/** What is wrong with `name` for an account, or undefined: it holds `credentials`' one, or a word of a token's form. */
export function secretLikeNameProblem(name: string, credentials: ReadonlySet<string>): string | undefined {
  for (const credential of credentials) {
    if (credential.length >= CREDENTIAL_MIN_CHARS && name.includes(credential)) return `${HOLDS_SECRET}${SHOWN}`;
  }
  if (name.split(/\s+/).some(isTokenLike)) return `${TOKEN_FORM}${SHOWN}`;
  return undefined;
}

function isTokenLike(word: string): boolean {
  return word.length >= TOKEN_MIN_CHARS && /[A-Za-z]/.test(word) && /\d/.test(word) && !isPlainWord(word);
}

export const HOLDS_SECRET = "holds a secret of this config (a provider's token, password or API key, or a client's key; not quoted)";
export const TOKEN_FORM = `has the form of a pasted token or key, not a name (a word of ${TOKEN_MIN_CHARS} or more characters mixing letters and digits; not quoted)`;
const SHOWN = ': the name is shown to callers and written in logs and metrics labels, where a secret would leak: write a name for people (or leave name out: the id is shown)';
