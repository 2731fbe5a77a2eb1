import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS, accountsToExport, withoutExpiredProtection } from '../../src/observability/sweep-carry-over.js';
import { isSweepResult, type SweepResult } from '../../src/observability/sweep-result.js';

const counts = (unprotected: number, unknown = 0) => ({ instances: unprotected + unknown, protected: 0, stale: 0, unprotected, unknown });
const NOW = 1_800_000_000_000;
const EARLIER = NOW - 3_600_000;
const HOUR_MS = 3_600_000;
/** Every account's objective: 24 hours. */
const rpo = () => 24 * HOUR_MS;

const previous = (providers: SweepResult['providers'], failedProviders: string[] = []): SweepResult => ({ finishedAt: EARLIER, seconds: 1, providers, failedProviders });

describe('accountsToExport: a failed account keeps its last-known counts', () => {
  it('an account read whole is exported with this sweep as its read time', () => {
    expect(accountsToExport([{ id: 'a', counts: counts(2) }], [], previous([{ id: 'a', counts: counts(5), readAt: EARLIER }]), NOW, rpo)).toEqual([{ id: 'a', counts: counts(2), readAt: NOW }]);
  });

  it('an account whose instance list failed keeps the counts and read time of its last whole read', () => {
    const last = { id: 'a', counts: counts(2), readAt: EARLIER - 1 };
    expect(accountsToExport([], ['a'], previous([last], ['a']), NOW, rpo)).toEqual([last]);
  });

  it('an account read in part keeps its last whole read, not the UNKNOWN of this one', () => {
    const last = { id: 'a', counts: counts(2), readAt: EARLIER };
    expect(accountsToExport([{ id: 'a', counts: counts(0, 2) }], ['a'], previous([last]), NOW, rpo)).toEqual([last]);
  });

  it('an account that never read whole: nothing when its list failed, what it has when read in part', () => {
    expect(accountsToExport([], ['a'], undefined, NOW, rpo)).toEqual([]);
    expect(accountsToExport([{ id: 'b', counts: counts(1, 1) }], ['b'], previous([{ id: 'b', counts: counts(0, 2) }], ['b']), NOW, rpo)).toEqual([{ id: 'b', counts: counts(1, 1) }]);
  });

  it('an account no longer in the sweep (removed from the config) is dropped, whatever the last result held', () => {
    const last = previous([{ id: 'gone', counts: counts(3), readAt: EARLIER }], ['gone']);
    expect(accountsToExport([{ id: 'a', counts: counts(1) }], [], last, NOW, rpo)).toEqual([{ id: 'a', counts: counts(1), readAt: NOW }]);
  });

  it("reads a previous version's result (no read times): an account that did not fail was read when it finished", () => {
    const old = previous([{ id: 'a', counts: counts(2) }, { id: 'b', counts: counts(0, 4) }], ['b']);
    expect(accountsToExport([], ['a', 'b'], old, NOW, rpo)).toEqual([{ id: 'a', counts: counts(2), readAt: EARLIER }]);
  });
  it('refuses a last read time from the future, or before 1970 (another writer): carried on, it silenced ProtectionCountsOutdated for as long as the account kept failing', () => {
    for (const readAt of [NOW + CLOCK_SKEW_MS + 1, 1e300, Number.MAX_VALUE, -1, -1e300]) {
      expect(accountsToExport([], ['a'], previous([{ id: 'a', counts: counts(2), readAt }], ['a']), NOW, rpo)).toEqual([]);
      expect(accountsToExport([{ id: 'a', counts: counts(0, 2) }], ['a'], previous([{ id: 'a', counts: counts(2), readAt }], ['a']), NOW, rpo)).toEqual([{ id: 'a', counts: counts(0, 2) }]);
    }
    // A previous version's result (no read times) finished in the future counts as no whole read either.
    const future = { ...previous([{ id: 'a', counts: counts(2) }]), finishedAt: NOW + 3_600_000 };
    expect(accountsToExport([], ['a'], future, NOW, rpo)).toEqual([]);
    // Another replica's clock a little ahead is still a read.
    const ahead = { id: 'a', counts: counts(2), readAt: NOW + CLOCK_SKEW_MS };
    expect(accountsToExport([], ['a'], previous([ahead], ['a']), NOW, rpo)).toEqual([ahead]);
    // Five minutes of it: a replica four minutes ahead is read, one six minutes ahead is not.
    const fourAhead = { id: 'a', counts: counts(2), readAt: NOW + 4 * 60_000 };
    expect(accountsToExport([], ['a'], previous([fourAhead], ['a']), NOW, rpo)).toEqual([fourAhead]);
    expect(accountsToExport([], ['a'], previous([{ ...fourAhead, readAt: NOW + 6 * 60_000 }], ['a']), NOW, rpo)).toEqual([]);
  });

  it('a read at the first millisecond of 1970 is a read (as old as one can be: the outdated alert fires on it), not one refused', () => {
    const epoch = { id: 'a', counts: counts(2), readAt: 0 };
    expect(accountsToExport([], ['a'], previous([epoch], ['a']), NOW, rpo)).toEqual([epoch]);
  });
});

describe('isSweepResult and the read time', () => {
  const result = (readAt: unknown) => ({ finishedAt: NOW, seconds: 1, providers: [{ id: 'a', counts: counts(1), readAt }], failedProviders: [] });

  it('accepts a read time that is a number, and a provider without one (the previous version wrote none)', () => {
    expect(isSweepResult(result(NOW))).toBe(true);
    expect(isSweepResult({ finishedAt: NOW, seconds: 1, providers: [{ id: 'a', counts: counts(1) }], failedProviders: [] })).toBe(true);
  });

  it('refuses a read time of another kind', () => {
    for (const readAt of ['yesterday', null, {}, Number.POSITIVE_INFINITY]) expect(isSweepResult(result(readAt))).toBe(false);
  });
});

describe('last-known counts older than the objective', () => {
  const seen = { instances: 6, protected: 2, stale: 3, unprotected: 1, unknown: 0 };

  it('a failed account read whole more than its objective ago says none PROTECTED: they are UNKNOWN; STALE and UNPROTECTED are carried', () => {
    const last = { id: 'a', counts: seen, readAt: NOW - 25 * HOUR_MS };
    expect(accountsToExport([], ['a'], previous([last], ['a']), NOW, rpo)).toEqual([{ id: 'a', counts: { instances: 6, protected: 0, stale: 3, unprotected: 1, unknown: 2 }, readAt: last.readAt }]);
    // Read in part this sweep: the same.
    expect(accountsToExport([{ id: 'a', counts: { ...seen, protected: 0, unknown: 2 } }], ['a'], previous([last]), NOW, rpo)[0]?.counts.protected).toBe(0);
  });

  it('within the objective (the boundary included) they are carried as read; each account by its own objective', () => {
    const last = { id: 'a', counts: seen, readAt: NOW - 24 * HOUR_MS };
    expect(accountsToExport([], ['a'], previous([last], ['a']), NOW, rpo)).toEqual([last]);
    const week = (id: string) => (id === 'a' ? 168 * HOUR_MS : 24 * HOUR_MS);
    expect(accountsToExport([], ['a'], previous([{ ...last, readAt: NOW - 100 * HOUR_MS }], ['a']), NOW, week)[0]?.counts).toEqual(seen);
  });

  it('withoutExpiredProtection leaves counts without a read time, or without PROTECTED, as they are', () => {
    const partial = { id: 'a', counts: seen };
    expect(withoutExpiredProtection(partial, NOW, HOUR_MS)).toBe(partial);
    const none = { id: 'a', counts: { ...seen, protected: 0 }, readAt: 0 };
    expect(withoutExpiredProtection(none, NOW, HOUR_MS)).toBe(none);
    expect(withoutExpiredProtection({ id: 'a', counts: seen, readAt: NOW - HOUR_MS - 1 }, NOW, HOUR_MS).counts).toEqual({ ...seen, protected: 0, unknown: 2 });
  });
});
