import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { UPSTREAM_DEFAULTS, type UpstreamPolicyOptions } from '../../src/upstream/defaults.js';
import { createUpstreamPolicy } from '../../src/upstream/policy.js';

const policyWith = (overrides: Partial<UpstreamPolicyOptions>) => createUpstreamPolicy({ ...UPSTREAM_DEFAULTS, retries: 0, ...overrides });
const unavailable = () => new GatewayError('PROVIDER_UNAVAILABLE', 'provider p is unavailable', { provider: 'p' });

/** A call that answers, or fails, when the test says. */
function held<T>() {
  let answer: (value: T) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const call = () =>
    new Promise<T>((resolve, reject) => {
      answer = resolve;
      fail = reject;
    });
  return { call, answer: (value: T) => answer(value), fail: (error: unknown) => fail(error) };
}

describe('the breaker path of a call made while the breaker was closed', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts failures in a row only: a success between two resets the count (guard)', async () => {
    const policy = policyWith({ breakerThreshold: 2 });
    await expect(policy.write.execute(() => Promise.reject(unavailable()))).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(await policy.read.execute(() => Promise.resolve('ok'))).toBe('ok');
    await expect(policy.read.execute(() => Promise.reject(unavailable()))).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(policy.breakerState()).toBe('closed');
    await expect(policy.write.execute(() => Promise.reject(unavailable()))).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(policy.breakerState()).toBe('open');
  });

  it('does not reopen a breaker in its half-open test when a call sent before it opened fails: the test answers for the provider', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const policy = policyWith({ breakerThreshold: 1, breakerHalfOpenAfterMs: 1_000 });
    const states: string[] = [];
    policy.onBreakerStateChange((state) => states.push(state));
    const early = held<string>();
    const earlyAnswer = policy.write.execute(early.call).catch((error: unknown) => error);
    await expect(policy.write.execute(() => Promise.reject(unavailable()))).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    await vi.advanceTimersByTimeAsync(1_000);
    const test = held<string>();
    const testAnswer = policy.write.execute(test.call);
    expect(policy.breakerState()).toBe('half-open');
    early.fail(unavailable());
    expect(await earlyAnswer).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(policy.breakerState()).toBe('half-open');
    test.answer('ok');
    expect(await testAnswer).toBe('ok');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('fails a call whose attempt throws before it returns a promise as cockatiel would: the error rejected, counted by the breaker', async () => {
    const policy = policyWith({ breakerThreshold: 1 });
    const answer = policy.write.execute((): Promise<string> => {
      throw unavailable();
    });
    await expect(answer).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(policy.breakerState()).toBe('open');
  });
});
