import { vi } from 'vitest';

/**
 * The breaker (cockatiel's, built in src/upstream/policy.ts) takes no clock: an open breaker lets
 * its half-open test through once Date.now() is past the opening plus `breakerHalfOpenAfterMs`.
 * Only Date is faked, and it runs on with real time (`shouldAdvanceTime`), so undici's sockets and
 * timers, the gateway's deadlines and `eventually` are untouched; `pass(ms)` moves the breaker's
 * clock past a reset timeout at once. A test then sets a reset timeout far longer than itself,
 * so nothing but `pass` can reach the half-open test: no sleep through a real one.
 */
export interface BreakerClock {
  /** Moves Date `ms` ahead. */
  pass(ms: number): void;
}

export function breakerClock(): BreakerClock {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  return { pass: (ms) => vi.setSystemTime(Date.now() + ms) };
}

/** For afterEach: the real Date back. */
export function realClock(): void {
  vi.useRealTimers();
}
