import { SecretSet } from './secrets.js';

/**
 * Client text (a log line's quote of a header, a bad variable's message) scrubbed of every
 * account's secrets: each account's scrub in turn, as before, but only for a text one of them
 * changes. An error storm's lines (20 messages shaped to be slow to scrub, `%2526amp%253B` or
 * `\x5c\u005c` runs) were read through their escapes once per account, 20 times over with 20
 * accounts. A search over all the accounts' secrets at once (SecretSet.joined) reads such a text
 * once; what it leaves unchanged every account's scrub leaves unchanged (it looks for every form,
 * pattern and piece each of them does), so the text is the answer. A text it changes is scrubbed
 * account by account, so the output, where one account's redaction meets another's secret, is
 * the one the accounts in turn write.
 */
export function everyAccountScrub(sets: readonly SecretSet[]): (text: string) => string {
  const inTurn = (text: string): string => sets.reduce((scrubbed, set) => set.scrub(scrubbed), text);
  if (sets.length < 2) return inTurn;
  let joined: SecretSet | null = null;
  let changes = -1;
  return (text: string): string => {
    // Sessions and tokens come and go: the joined set is made again when any account's changed.
    const now = sets.reduce((sum, set) => sum + set.changes, 0);
    if (joined === null || now !== changes) {
      joined = SecretSet.joined(sets);
      changes = now;
    }
    return joined.scrub(text) === text ? text : inTurn(text);
  };
}
