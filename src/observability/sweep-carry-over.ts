import { CLOCK_SKEW_MS } from '../domain/clock-skew.js';
import type { SweepResult, SweptAccount } from './sweep-result.js';

// A last read time up to CLOCK_SKEW_MS ahead still counts: delays a 6-hour outdated alert by this at most.
export { CLOCK_SKEW_MS };

/**
 * The accounts a sweep exports: each read whole, with its counts and this
 * sweep's time; each that failed, with its counts from the last sweep that
 * read it whole (kept in the stored result, so every replica exports the
 * same). A failed account's counts dropped out of the gauges, or turned
 * UNKNOWN, for that sweep: an alert with `for: 2h` on its UNPROTECTED
 * instances started over, and a provider failing every other sweep never
 * alerted at all. `provider_failed` says the counts are last-known, and their
 * `readAt` how old they are.
 *
 * Bounded by this sweep's accounts: an account no longer configured, or one
 * whose instance list failed and that never read whole, exports nothing. One
 * listed but read in part that never read whole exports what it has (its
 * UNKNOWN among them): hiding all of it would hide an account with one
 * broken instance for good.
 */
export function accountsToExport(
  swept: ReadonlyArray<Pick<SweptAccount, 'id' | 'counts'>>,
  failed: readonly string[],
  previous: SweepResult | undefined,
  readAt: number,
  rpoMsOf: (id: string) => number,
): SweptAccount[] {
  const failedNow = new Set(failed);
  const lastKnown = lastReadsOf(previous, readAt);
  const carried = (id: string) => {
    const known = lastKnown.get(id);
    return known && withoutExpiredProtection(known, readAt, rpoMsOf(id));
  };
  const listed = new Set<string>();
  const accounts: SweptAccount[] = [];
  for (const { id, counts } of swept) {
    listed.add(id);
    if (!failedNow.has(id)) accounts.push({ id, counts, readAt });
    else accounts.push(carried(id) ?? { id, counts });
  }
  for (const id of failedNow) {
    const known = listed.has(id) ? undefined : carried(id);
    if (known) accounts.push(known);
  }
  return accounts;
}

/**
 * Last-known counts whose read is older than the account's objective (its
 * rpoHours) no longer say any instance is PROTECTED: each was protected by a
 * backup at most that old when read, so that backup alone no longer shows it,
 * and whether a newer one came cannot be known while the account fails. Those
 * instances count as UNKNOWN; STALE and UNPROTECTED are carried as they are,
 * so an alert on them does not end because the provider stopped answering.
 * Before, a week-old "all protected" was exported for as long as the account
 * failed, with only the read time (ProtectionCountsOutdated) to say otherwise.
 */
export function withoutExpiredProtection(account: SweptAccount, now: number, rpoMs: number): SweptAccount {
  const { counts, readAt } = account;
  if (readAt === undefined || now - readAt <= rpoMs || counts.protected === 0) return account;
  return { ...account, counts: { ...counts, protected: 0, unknown: counts.unknown + counts.protected } };
}

/**
 * The counts of a result that came from a whole read, by account. A result
 * the previous version stored has no `readAt`: its accounts that did not fail
 * were read whole when it finished. A read time later than `now` (by more
 * than CLOCK_SKEW_MS) or before 1970 is no read: the shared store has other
 * writers, and a future one, carried on from sweep to sweep, kept
 * `ProtectionCountsOutdated` quiet for as long as the account failed
 * (clamped to now, it would call old counts fresh).
 */
function lastReadsOf(previous: SweepResult | undefined, now: number): Map<string, SweptAccount> {
  const reads = new Map<string, SweptAccount>();
  if (!previous) return reads;
  const failed = new Set(previous.failedProviders);
  const possible = (time: number) => time >= 0 && time <= now + CLOCK_SKEW_MS;
  for (const { id, counts, readAt } of previous.providers) {
    if (readAt !== undefined) {
      if (possible(readAt)) reads.set(id, { id, counts, readAt });
    } else if (!failed.has(id) && possible(previous.finishedAt)) reads.set(id, { id, counts, readAt: previous.finishedAt });
  }
  return reads;
}
