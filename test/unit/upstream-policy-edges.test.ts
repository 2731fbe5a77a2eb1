import { TaskCancelledError } from 'cockatiel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { UPSTREAM_DEFAULTS, type UpstreamPolicyOptions } from '../../src/upstream/defaults.js';
import { createUpstreamPolicy } from '../../src/upstream/policy.js';

const policyWith = (overrides: Partial<UpstreamPolicyOptions>) => createUpstreamPolicy({ ...UPSTREAM_DEFAULTS, ...overrides });
const unavailable = () => new GatewayError('PROVIDER_UNAVAILABLE', 'provider p is unavailable', { provider: 'p' });

describe('the upstream policy: backoff and the half-open breaker', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('without a Retry-After, waits the exponential backoff: not at once, and within retryMaxDelayMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    let attempts = 0;
    const call = () => (++attempts === 1 ? Promise.reject(unavailable()) : Promise.resolve('ok'));
    const answer = createUpstreamPolicy({ ...UPSTREAM_DEFAULTS, retries: 1, retryBaseDelayMs: 40, retryMaxDelayMs: 60 }).read.execute(call);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(59);
    expect(attempts).toBe(2);
    expect(await answer).toBe('ok');
  });

  it('says half-open, and DEGRADED, while it lets one request through to test the provider', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const policy = policyWith({ retries: 0, breakerThreshold: 1, breakerHalfOpenAfterMs: 1_000 });
    const states: string[] = [];
    policy.onBreakerStateChange((state) => states.push(state));
    await expect(policy.write.execute(() => Promise.reject(unavailable()))).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(policy.breakerState()).toBe('open');
    await vi.advanceTimersByTimeAsync(1_000);
    let finish: (value: string) => void = () => {};
    const probe = policy.write.execute(() => new Promise<string>((resolve) => (finish = resolve)));
    expect(policy.breakerState()).toBe('half-open');
    expect(policy.health()).toBe('DEGRADED');
    finish('ok');
    expect(await probe).toBe('ok');
    expect(policy.breakerState()).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('does not make the attempt after a backoff for a read whose request stopped meanwhile (its client left, or its answers passed their budget)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const policy = policyWith({ retries: 2, retryBaseDelayMs: 40, retryMaxDelayMs: 60, breakerThreshold: 2 });
    const stop = new AbortController();
    let attempts = 0;
    const call = () => (++attempts === 1 ? Promise.reject(unavailable()) : Promise.resolve('ok'));
    const answer = policy.read.execute(call, stop.signal).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toBe(1);
    stop.abort();
    await vi.advanceTimersByTimeAsync(60);
    expect(await answer).toBeInstanceOf(TaskCancelledError);
    expect(attempts).toBe(1);
    // The cut is no failure of the provider's: one more would have opened a breaker at two.
    await expect(policy.write.execute(() => Promise.reject(unavailable()))).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(policy.breakerState()).toBe('open');
  });

  it('does not make a stopped read the half-open trial: the breaker stays open for the next read to test', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const policy = policyWith({ retries: 0, breakerThreshold: 1, breakerHalfOpenAfterMs: 1_000 });
    await expect(policy.write.execute(() => Promise.reject(unavailable()))).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    await vi.advanceTimersByTimeAsync(1_000);
    const stop = new AbortController();
    stop.abort();
    let attempts = 0;
    const failing = () => {
      attempts += 1;
      return Promise.reject(unavailable());
    };
    await expect(policy.read.execute(failing, stop.signal)).rejects.toBeInstanceOf(TaskCancelledError);
    expect(attempts).toBe(0);
    expect(policy.breakerState()).toBe('open');
    // The next read is the trial, and its failure keeps the breaker open: nothing closed it untested.
    await expect(policy.read.execute(failing)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(attempts).toBe(1);
    expect(policy.breakerState()).toBe('open');
  });
});
