import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { anonymousWith } from '../../src/gateway/principal.js';
import { AuthFailureGuard, type SharedAuthCounters } from '../../src/server/auth-failure-guard.js';
import { AuthFailures } from '../../src/server/auth-failures.js';
import { RateLimiter, type SharedRateCounters } from '../../src/server/rate-limit.js';
import { SHARED_COUNT_WAIT_MS, type SharedCounter, type WindowCount } from '../../src/state/shared-counter.js';

/**
 * "An HTTP request waits for its count (at most 250 ms)", and so does a 401 (README, Bounded
 * work): an anonymous IPv6 caller counts at three levels (address, /64, /48), each of which
 * waited its own 250 ms one after another, so a slow Redis held it up to three times that.
 */

/** Shared counters that each answer a count of 1 after `answerMs` (a slow Redis), the keys they were asked for noted. */
function slowCounters(answerMs: number) {
  const asked: string[] = [];
  const counter = (name: string): SharedCounter => ({
    limit: 1_000,
    add: (key) => {
      asked.push(`${name} ${key}`);
      return new Promise<WindowCount>((resolve) => setTimeout(resolve, answerMs, { count: 1, msBeforeNext: 60_000 }));
    },
  });
  return { asked, counter };
}

/** What a promise has settled to so far: undefined while it is pending. */
function settledValue<T>(promise: Promise<T>): () => { value: T } | undefined {
  let settled: { value: T } | undefined;
  void promise.then((value) => {
    settled = { value };
  });
  return () => settled;
}

/** Written out in full, as clientKeyOf writes an IPv6 address. */
const IPV6 = '2001:db8:0:1:0:0:0:5';
/** Each level answers after 60% of the wait: one fits in it, two do not. */
const ANSWER_MS = Math.round(SHARED_COUNT_WAIT_MS * 0.6);

describe('shared counts: one wait for all of a request\'s levels', () => {
  // The clock is the test's: on a loaded machine a late timer made the first count come after the
  // wait's end, and the test read "late" for what the code did right.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rate limit: the levels are counted narrowest first within one wait, the rest left to the buckets', async () => {
    const { asked, counter } = slowCounters(ANSWER_MS);
    const shared: SharedRateCounters = { keys: counter('key'), addresses: counter('ip'), subnets: counter('subnet'), sites: counter('site') };
    const limiter = new RateLimiter({ requestsPerSecond: 1, burst: 10 }, undefined, shared);
    const answered = settledValue(limiter.checkAcrossReplicas(anonymousWith('viewer'), IPV6));
    // Answered by the wait's end: the /64's count was still on its way, and the /48's never asked.
    await vi.advanceTimersByTimeAsync(SHARED_COUNT_WAIT_MS);
    expect(answered()).toEqual({ value: 0 });
    expect(asked).toEqual([`ip ip:${IPV6}`, 'subnet subnet:2001:db8:0:1::/64']);
  });

  it('failed authentication: every level is counted at once, so the 401 waits one count, not three in turn', async () => {
    const { asked, counter } = slowCounters(ANSWER_MS);
    const shared: SharedAuthCounters = { perAddress: 5, by: { address: counter('address'), subnet: counter('subnet'), site: counter('site') } };
    const guard = new AuthFailureGuard(new AuthFailures({ perAddress: 5, windowMs: 60_000 }), pino({ level: 'silent' }), { failed: () => {}, refused: () => {} }, shared);
    const failed = settledValue(guard.failed(IPV6).then(() => 'counted' as const));
    await vi.advanceTimersByTimeAsync(ANSWER_MS);
    expect(failed()).toEqual({ value: 'counted' });
    expect(asked).toHaveLength(3);
  });
});
