import { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from 'cockatiel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { UpstreamCancelledError } from '../../src/upstream/deadline.js';
import { UPSTREAM_DEFAULTS, type UpstreamPolicyOptions } from '../../src/upstream/defaults.js';
import { createUpstreamPolicy, isTransient, policyErrorToGatewayError } from '../../src/upstream/policy.js';

const policyWith = (overrides: Partial<UpstreamPolicyOptions> = {}) =>
  createUpstreamPolicy({ ...UPSTREAM_DEFAULTS, retryBaseDelayMs: 1, retryMaxDelayMs: 5_000, ...overrides });

const unavailable = (details = {}) => new GatewayError('PROVIDER_UNAVAILABLE', 'provider p is unavailable', { provider: 'p', ...details });

/** An upstream call that fails `failures` times with `error`, then answers. */
function flaky(failures: number, error: Error = unavailable()) {
  let attempts = 0;
  const call = () => {
    attempts += 1;
    return attempts <= failures ? Promise.reject(error) : Promise.resolve(`answer after ${attempts}`);
  };
  return { call, attempts: () => attempts };
}

describe('transient failures', () => {
  it('are the provider being unavailable or slow, not a refusal, a bug or a request its client ended', () => {
    expect(isTransient(unavailable())).toBe(true);
    expect(isTransient(new GatewayError('PROVIDER_TIMEOUT', 'slow'))).toBe(true);
    for (const code of ['PROVIDER_ERROR', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'INTERNAL_SERVER_ERROR'] as const) expect(isTransient(new GatewayError(code, 'x')), code).toBe(false);
    expect(isTransient(new Error('PROVIDER_UNAVAILABLE'))).toBe(false);
    expect(isTransient(new UpstreamCancelledError('p'))).toBe(false);
  });
});

describe('the upstream policy', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries a read after transient failures, up to `retries` extra attempts', async () => {
    const policy = policyWith({ retries: 2 });
    const twice = flaky(2);
    expect(await policy.read.execute(twice.call)).toBe('answer after 3');
    const thrice = flaky(3);
    await expect(policyWith({ retries: 2 }).read.execute(thrice.call)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(thrice.attempts()).toBe(3);
  });

  it('never retries a write, nor a read the provider refused', async () => {
    const write = flaky(1);
    await expect(policyWith({ retries: 2 }).write.execute(write.call)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(write.attempts()).toBe(1);
    const refused = flaky(1, new GatewayError('PROVIDER_ERROR', 'no such backup'));
    await expect(policyWith({ retries: 2 }).read.execute(refused.call)).rejects.toMatchObject({ code: 'PROVIDER_ERROR' });
    expect(refused.attempts()).toBe(1);
  });

  it("waits the provider's Retry-After before retrying, capped at retryMaxDelayMs", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const asked = flaky(1, unavailable({ retryAfterSeconds: 2 }));
    const answer = policyWith({ retries: 1, retryMaxDelayMs: 5_000 }).read.execute(asked.call);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(asked.attempts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked.attempts()).toBe(2);
    expect(await answer).toBe('answer after 2');

    const greedy = flaky(1, unavailable({ retryAfterSeconds: 3600 }));
    const capped = policyWith({ retries: 1, retryMaxDelayMs: 3_000 }).read.execute(greedy.call);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(greedy.attempts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(greedy.attempts()).toBe(2);
    await capped;
  });

  it('a Retry-After on the second failure counts too', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let attempts = 0;
    const call = () => {
      attempts += 1;
      if (attempts === 1) return Promise.reject(unavailable({ retryAfterSeconds: 1 }));
      if (attempts === 2) return Promise.reject(unavailable({ retryAfterSeconds: 4 }));
      return Promise.resolve('ok');
    };
    const answer = policyWith({ retries: 2 }).read.execute(call);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(attempts).toBe(2);
    await vi.advanceTimersByTimeAsync(3_999);
    expect(attempts).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toBe(3);
    expect(await answer).toBe('ok');
  });

  it('without a Retry-After, backs off no longer than retryMaxDelayMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const plain = flaky(1);
    const answer = policyWith({ retries: 1, retryBaseDelayMs: 50, retryMaxDelayMs: 200 }).read.execute(plain.call);
    await vi.advanceTimersByTimeAsync(200);
    expect(plain.attempts()).toBe(2);
    await answer;
  });

  it('opens the breaker after breakerThreshold consecutive transient failures: DOWN, and refused without a call', async () => {
    const policy = policyWith({ retries: 0, breakerThreshold: 2 });
    const states: string[] = [];
    policy.onBreakerStateChange((state) => states.push(state));
    const down = flaky(100);
    await expect(policy.write.execute(down.call)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(policy.breakerState()).toBe('closed');
    await expect(policy.write.execute(down.call)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(policy.breakerState()).toBe('open');
    expect(states).toEqual(['open']);
    expect(policy.health()).toBe('DOWN');
    const refusal = await policy.read.execute(down.call).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BrokenCircuitError);
    expect(down.attempts()).toBe(2);
  });

  it('failures the provider is not to blame for never open the breaker', async () => {
    const policy = policyWith({ retries: 0, breakerThreshold: 1 });
    await expect(policy.write.execute(flaky(1, new GatewayError('PROVIDER_ERROR', 'refused')).call)).rejects.toMatchObject({ code: 'PROVIDER_ERROR' });
    await expect(policy.write.execute(flaky(1, new UpstreamCancelledError('p')).call)).rejects.toBeInstanceOf(UpstreamCancelledError);
    expect(policy.breakerState()).toBe('closed');
  });

  it('reports health from each attempt: DEGRADED with its cause after a failure, UP after a success', () => {
    const policy = policyWith();
    const reports: unknown[] = [];
    policy.onHealthChange((report) => reports.push(report));
    expect(policy.health()).toBe('UP');
    expect(policy.healthReport()).toEqual({ health: 'UP', cause: null });
    policy.attemptFailed('refused');
    expect(policy.healthReport()).toEqual({ health: 'DEGRADED', cause: 'refused' });
    policy.attemptSucceeded();
    expect(policy.health()).toBe('UP');
    expect(reports).toEqual([
      { health: 'DEGRADED', cause: 'refused' },
      { health: 'UP', cause: null },
    ]);
  });

  it('a login answered does not end a credentials refusal; a call answered does (guard)', () => {
    const policy = policyWith();
    policy.attemptFailed('credentials');
    policy.loginSucceeded();
    expect(policy.healthReport()).toEqual({ health: 'DEGRADED', cause: 'credentials' });
    policy.attemptSucceeded();
    expect(policy.healthReport()).toEqual({ health: 'UP', cause: null });
  });

  it('tells health listeners when the breaker opens', async () => {
    const policy = policyWith({ retries: 0, breakerThreshold: 1 });
    const reports: unknown[] = [];
    policy.onHealthChange((report) => reports.push(report));
    await expect(policy.write.execute(flaky(1).call)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(reports).toEqual([{ health: 'DOWN', cause: null }]);
  });

  it('caps requests in flight at maxConcurrency and the queue at maxQueue; a fired signal leaves at once', async () => {
    const policy = policyWith({ maxConcurrency: 1, maxQueue: 1 });
    await policy.slots.acquire(undefined);
    const queued = policy.slots.acquire(undefined);
    expect(policy.slots.waiting).toBe(1);
    await expect(policy.slots.acquire(undefined)).rejects.toBeInstanceOf(BulkheadRejectedError);
    const aborted = AbortSignal.abort();
    await expect(policy.slots.acquire(aborted)).rejects.toBeInstanceOf(TaskCancelledError);
    policy.slots.release();
    await queued;
  });
});

describe("the policy's errors as the gateway's", () => {
  it('an open circuit and a full queue are PROVIDER_UNAVAILABLE naming the provider; a cancelled task is a cancelled request', () => {
    expect(policyErrorToGatewayError(new BrokenCircuitError(), 'zomro-nl')).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: 'provider zomro-nl is unavailable (circuit open)',
      details: { provider: 'zomro-nl' },
    });
    expect(policyErrorToGatewayError(new BrokenCircuitError(), 'zomro-nl', 12)).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { provider: 'zomro-nl', retryAfterSeconds: 12 } });
    expect(policyErrorToGatewayError(new BulkheadRejectedError(1, 1), 'zomro-nl')).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: 'provider zomro-nl is overloaded (too many requests queued)',
      details: { provider: 'zomro-nl' },
    });
    const cancelled = policyErrorToGatewayError(new TaskCancelledError(), 'zomro-nl');
    expect(cancelled).toBeInstanceOf(UpstreamCancelledError);
    expect(cancelled).toMatchObject({ details: { provider: 'zomro-nl' } });
  });

  it('anything else passes through as it is', () => {
    const error = new GatewayError('PROVIDER_ERROR', 'refused');
    expect(policyErrorToGatewayError(error, 'p')).toBe(error);
  });
});
