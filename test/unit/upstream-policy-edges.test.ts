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
});
