import type { SweepResult, SweptAccount } from './sweep-result.js';

/**
 * How far ahead of this replica's clock a last read time may be and still be one: the
 * replica that stored it had its own clock. Delays a 6-hour outdated alert by this at most.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

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
): SweptAccount[] {
  const failedNow = new Set(failed);
  const lastKnown = lastReadsOf(previous, readAt);
  const listed = new Set<string>();
  const accounts: SweptAccount[] = [];
  for (const { id, counts } of swept) {
    listed.add(id);
    if (!failedNow.has(id)) accounts.push({ id, counts, readAt });
    else accounts.push(lastKnown.get(id) ?? { id, counts });
  }
  for (const id of failedNow) {
    const known = listed.has(id) ? undefined : lastKnown.get(id);
    if (known) accounts.push(known);
  }
  return accounts;
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
