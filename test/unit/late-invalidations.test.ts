import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LateInvalidations } from '../../src/gateway/late-invalidations.js';

/** A write to a store the test makes reachable or not; counts its attempts. */
function write(store: { up: boolean }) {
  const attempts = { count: 0 };
  const run = async (): Promise<void> => {
    attempts.count += 1;
    if (!store.up) throw new Error('store unreachable');
  };
  return { attempts, run };
}

describe('LateInvalidations: invalidations the shared store did not take, sent again', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends one again every everyMs until it lands, then keeps nothing and stops its timer', async () => {
    const store = { up: false };
    const late = new LateInvalidations(1_000);
    const job = write(store);
    late.add('acct', job.run, 60_000);
    expect(late.size).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(job.attempts.count).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(job.attempts.count).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(job.attempts.count).toBe(3);
    expect(late.size).toBe(1);
    store.up = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(job.attempts.count).toBe(4);
    expect(late.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(job.attempts.count).toBe(4);
  });

  it('drops one unsent once the entries it drops would have expired anyway', async () => {
    const late = new LateInvalidations(1_000);
    const job = write({ up: false });
    late.add('acct', job.run, 2_500);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(job.attempts.count).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(job.attempts.count).toBe(2);
    expect(late.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a later one for the same instances replaces the earlier: only it is sent', async () => {
    const late = new LateInvalidations(1_000);
    const store = { up: true };
    const earlier = write(store);
    const later = write(store);
    late.add('acct', earlier.run, 60_000);
    late.add('acct', later.run, 60_000);
    expect(late.size).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect([earlier.attempts.count, later.attempts.count]).toEqual([0, 1]);
    expect(late.size).toBe(0);
  });

  it('keeps at most `most`, the oldest dropped first', async () => {
    const late = new LateInvalidations(1_000, 2);
    const store = { up: true };
    const jobs = [write(store), write(store), write(store)];
    jobs.forEach((job, index) => late.add(`set-${index}`, job.run, 60_000));
    expect(late.size).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(jobs.map((job) => job.attempts.count)).toEqual([0, 1, 1]);
  });

  it('a round stops at the first that fails: the store is still unreachable, the rest wait for the next', async () => {
    const late = new LateInvalidations(1_000);
    const store = { up: false };
    const first = write(store);
    const second = write({ up: true });
    late.add('a', first.run, 60_000);
    late.add('b', second.run, 60_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect([first.attempts.count, second.attempts.count]).toEqual([1, 0]);
    expect(late.size).toBe(2);
    store.up = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect([first.attempts.count, second.attempts.count]).toEqual([2, 1]);
    expect(late.size).toBe(0);
  });

  it('starts no round while one is still waiting on the store', async () => {
    const late = new LateInvalidations(1_000);
    let attempts = 0;
    let land: () => void = () => undefined;
    late.add('acct', () => {
      attempts += 1;
      return new Promise<void>((resolve) => (land = resolve));
    }, 60_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(attempts).toBe(1);
    land();
    await vi.advanceTimersByTimeAsync(0);
    expect(late.size).toBe(0);
  });

  it('one added for the same instances while the earlier is being sent is kept, and sent next round', async () => {
    const late = new LateInvalidations(1_000);
    let land: () => void = () => undefined;
    late.add('acct', () => new Promise<void>((resolve) => (land = resolve)), 60_000);
    await vi.advanceTimersByTimeAsync(1_000);
    const later = write({ up: true });
    late.add('acct', later.run, 60_000);
    land();
    await vi.advanceTimersByTimeAsync(0);
    expect(late.size).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(later.attempts.count).toBe(1);
    expect(late.size).toBe(0);
  });
});
