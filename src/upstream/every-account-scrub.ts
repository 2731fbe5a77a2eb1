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
 *
 * Making the joined search costs 110-250 ms for 20 accounts, and its first scrub 100-130 ms more,
 * on the event loop: made again at every login of any account (a session is a secret), each
 * account's hourly renewal stalled every request in flight. So it is made again only once most
 * accounts have changed since; until then an account changed since it was made is also asked on
 * its own (its scrub of a text its current secrets leave alone leaves it alone: the same answer).
 */
export function everyAccountScrub(sets: readonly SecretSet[], join: (sets: readonly SecretSet[]) => SecretSet = SecretSet.joined): (text: string) => string {
  const inTurn = (text: string): string => sets.reduce((scrubbed, set) => set.scrub(scrubbed), text);
  if (sets.length < 2) return inTurn;
  let joined: SecretSet | null = null;
  /** Each set's `changes` when `joined` was made. */
  let joinedAt: number[] = [];
  return (text: string): string => {
    let changedSince = sets.filter((set, index) => set.changes !== joinedAt[index]);
    if (joined === null || changedSince.length * 2 > sets.length) {
      joined = join(sets);
      joinedAt = sets.map((set) => set.changes);
      changedSince = [];
    }
    if (joined.scrub(text) !== text) return inTurn(text);
    return changedSince.every((set) => set.scrub(text) === text) ? text : inTurn(text);
  };
}
