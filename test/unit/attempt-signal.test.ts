import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AttemptCancelled, AttemptSignal, AttemptTimeout, UpstreamCancelledError } from '../../src/upstream/deadline.js';

/** One upstream attempt's stop signal: its deadline, or its request ending, whichever comes first. */
describe('AttemptSignal', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const aborts = (signal: AttemptSignal) => {
    const heard: unknown[] = [];
    signal.watch({ attemptStopped: () => heard.push(signal.reason) });
    return heard;
  };

  it('aborts once its deadline passes, with the timeout as the reason, and not before', () => {
    const signal = new AttemptSignal(1_000, undefined);
    const heard = aborts(signal);
    vi.advanceTimersByTime(999);
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(AttemptTimeout);
    expect(heard).toHaveLength(1);
  });

  it('aborts when its request ends first, lets go of the request, and the deadline then changes nothing', () => {
    const request = new AbortController();
    const signal = new AttemptSignal(1_000, request.signal);
    const heard = aborts(signal);
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(1);
    request.abort();
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(AttemptCancelled);
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0);
    vi.advanceTimersByTime(5_000);
    expect(signal.reason).toBeInstanceOf(AttemptCancelled);
    expect(heard).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is aborted from the start for a request that has already ended', () => {
    const request = new AbortController();
    request.abort();
    const signal = new AttemptSignal(1_000, request.signal);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(AttemptCancelled);
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('once disposed (the attempt is over), neither the deadline nor the request ending aborts it', () => {
    const request = new AbortController();
    const signal = new AttemptSignal(1_000, request.signal);
    const heard = aborts(signal);
    signal.dispose();
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5_000);
    request.abort();
    expect(signal.aborted).toBe(false);
    expect(heard).toEqual([]);
  });
});

describe('UpstreamCancelledError', () => {
  it('says which provider the request stopped waiting for, as PROVIDER_UNAVAILABLE', () => {
    const error = new UpstreamCancelledError('zomro-1');
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.message).toBe('the request ended before provider zomro-1 answered');
    expect(error.details).toEqual({ provider: 'zomro-1' });
  });
});
