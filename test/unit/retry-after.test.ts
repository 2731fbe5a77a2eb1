import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { MAX_RETRY_AFTER_SECONDS, parseRetryAfter } from '../../src/upstream/retry-after.js';
import { UPSTREAM_DEFAULTS } from '../../src/upstream/defaults.js';
import { createUpstreamPolicy } from '../../src/upstream/policy.js';

/**
 * The wait between a 429 and its retry, on a fake clock: the integration test
 * (reliability/upstream-policy) shows the retry happens; this shows when,
 * without measuring wall-clock time.
 */
describe("a provider's Retry-After decides the wait before a read is retried", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A read that is rate limited once (Retry-After: `seconds`), then answers; `attempts` counts its calls. */
  function rateLimitedOnce(seconds: number) {
    const policy = createUpstreamPolicy({ ...UPSTREAM_DEFAULTS, retries: 2 });
    const read = { attempts: 0, result: undefined as Promise<string> | undefined };
    read.result = policy.read.execute(async () => {
      read.attempts += 1;
      if (read.attempts === 1) throw new GatewayError('PROVIDER_UNAVAILABLE', 'provider p is rate limiting requests', { provider: 'p', retryAfterSeconds: seconds });
      return 'answered';
    });
    return read;
  }

  it('waits exactly as long as Retry-After says, not the ~100 ms of its own backoff', async () => {
    const read = rateLimitedOnce(3);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(read.attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(read.attempts).toBe(2);
    await expect(read.result).resolves.toBe('answered');
  });

  it('never waits longer than retryMaxDelayMs, whatever the provider asks', async () => {
    const read = rateLimitedOnce(3_600);
    await vi.advanceTimersByTimeAsync(UPSTREAM_DEFAULTS.retryMaxDelayMs - 1);
    expect(read.attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(read.attempts).toBe(2);
    await expect(read.result).resolves.toBe('answered');
  });
});

/** What a client sees as `retryAfterSeconds`: whole seconds it can wait, never a provider's nonsense. */
describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delay-seconds as whole seconds, rounded up', () => {
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('2.1', now)).toBe(3);
    expect(parseRetryAfter(['5', '9'], now)).toBe(5);
  });

  it('reads an HTTP-date as the whole seconds until it, rounded up; a date past is 0', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now + 250)).toBe(60);
    expect(parseRetryAfter('Thursday, 01-Jan-26 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
  });

  it('never passes on more than a day, however far the provider asks', () => {
    expect(MAX_RETRY_AFTER_SECONDS).toBe(86_400);
    expect(parseRetryAfter('1e300', now)).toBe(MAX_RETRY_AFTER_SECONDS);
    expect(parseRetryAfter('99999999999999999999999', now)).toBe(MAX_RETRY_AFTER_SECONDS);
    expect(parseRetryAfter('Fri, 31 Dec 2099 23:59:59 GMT', now)).toBe(MAX_RETRY_AFTER_SECONDS);
  });

  it('ignores a negative delay, garbage and an empty header', () => {
    for (const header of ['-5', '-0.5', 'soon', '', '   ', 'Infinity', '1e999', '12abc', 'Someday, 99 Foo 2026']) expect(parseRetryAfter(header, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter([], now)).toBeUndefined();
  });

  it('takes as a date only text that starts as an HTTP-date does, with a day name (V8 reads "12 Dec 2030" as a date)', () => {
    for (const header of ['12 Dec 2030', '2030-12-12', '7 days']) expect(parseRetryAfter(header, now), header).toBeUndefined();
  });
});
