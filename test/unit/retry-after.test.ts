import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
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
