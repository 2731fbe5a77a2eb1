import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PlaceState } from '../../src/state/create-order.js';
import { awaitTurn } from '../../src/state/place-turn.js';

/** Answers each read with the next of `reads` (the last one again once they run out), counting them. */
function readsOf(reads: ReadonlyArray<readonly PlaceState[] | undefined>): { read: () => Promise<readonly PlaceState[] | undefined>; count: () => number } {
  let count = 0;
  return {
    read: () => Promise.resolve(reads[Math.min(count++, reads.length - 1)]),
    count: () => count,
  };
}

describe('awaitTurn', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is the turn at once when no earlier place is open: each was sent, given up, may have reached the provider, or is no longer held', async () => {
    const reads = readsOf([['sent', 'given-up', 'uncertain', 'unheld']]);
    expect(await awaitTurn(reads.read, 1_000)).toBe('turn');
    expect(reads.count()).toBe(1);
    expect(await awaitTurn(readsOf([[]]).read, 1_000)).toBe('turn');
  });

  it('reads again while an earlier place is open, and is the turn once it is sent', async () => {
    const reads = readsOf([['sent', 'open'], ['sent', 'open'], ['sent', 'sent']]);
    expect(await awaitTurn(reads.read, 60_000)).toBe('turn');
    expect(reads.count()).toBe(3);
  });

  it('is waited out once an earlier place is still open past the wait, on the clock given', async () => {
    let now = 0;
    const reads = readsOf([['open']]);
    const waited = awaitTurn(async () => {
      const states = await reads.read();
      now += 400;
      return states;
    }, 1_000, () => now);
    expect(await waited).toBe('waited-out');
    expect(reads.count()).toBe(3);
  });

  it('is unanswered as soon as a read of the places is not answered: the caller refuses before its call', async () => {
    expect(await awaitTurn(readsOf([['open'], undefined]).read, 60_000)).toBe('unanswered');
  });

  it('is left as soon as the request it waits for ends, mid-pause, with no read after: its caller sends nothing', async () => {
    const leaving = new AbortController();
    let now = 0;
    const reads = readsOf([['open']]);
    const waited = awaitTurn(async () => {
      const states = await reads.read();
      leaving.abort();
      now += 400;
      return states;
    }, 1_000, () => now, leaving.signal);
    expect(await waited).toBe('left');
    expect(reads.count()).toBe(1);
    expect(await awaitTurn(readsOf([[]]).read, 60_000, undefined, leaving.signal)).toBe('left');
  });

  it('is left when the request ends while a read is out, though that read finds the turn: a POST then went for nobody', async () => {
    const leaving = new AbortController();
    const reads = readsOf([['sent']]);
    const waited = awaitTurn(async () => {
      const states = await reads.read();
      leaving.abort();
      return states;
    }, 60_000, undefined, leaving.signal);
    expect(await waited).toBe('left');
    expect(reads.count()).toBe(1);
  });

  it('gives the wait up the moment the gateway begins to stop, mid-pause, with no timer or listener left: the drain need not wait for it', async () => {
    vi.useFakeTimers();
    const draining = new AbortController();
    const reads = readsOf([['sent', 'open']]);
    const waited = awaitTurn(reads.read, 60_000, undefined, undefined, draining.signal);
    await vi.advanceTimersByTimeAsync(5);
    // Counted against what is there, as below: another unit file's leftover work in the shared
    // worker may hold a timer on the faked clock (CI read 1 where 0 was asked, once).
    const pausing = vi.getTimerCount();
    expect(pausing).toBeGreaterThanOrEqual(1);
    draining.abort();
    expect(vi.getTimerCount()).toBe(pausing - 1);
    expect(await waited).toBe('draining');
    // One read more, the one woken: the place before might have been sent meanwhile.
    expect(reads.count()).toBe(2);
    expect(getEventListeners(draining.signal, 'abort')).toHaveLength(0);
  });

  it('takes a turn that is free while the gateway stops (its call runs as any request in flight), and gives up one it would wait for', async () => {
    const draining = new AbortController();
    draining.abort();
    expect(await awaitTurn(readsOf([['sent', 'given-up']]).read, 60_000, undefined, undefined, draining.signal)).toBe('turn');
    const reads = readsOf([['open']]);
    expect(await awaitTurn(reads.read, 60_000, undefined, undefined, draining.signal)).toBe('draining');
    expect(reads.count()).toBe(1);
  });

  it('reads again after pauses doubling from 10 ms to at most 200 ms, on the clock by default, the last cut to the end of the wait', async () => {
    vi.useFakeTimers();
    const start = Date.now();
    const readAt: number[] = [];
    const waited = awaitTurn(() => {
      readAt.push(Date.now() - start);
      return Promise.resolve(['open']);
    }, 1_000);
    await vi.runAllTimersAsync();
    expect(await waited).toBe('waited-out');
    // The last read is at the end of the wait, not a pause after it.
    expect(readAt).toEqual([0, 10, 30, 70, 150, 310, 510, 710, 910, 1_000]);
  });

  it('wakes from its pause the moment the request ends, with no timer left behind', async () => {
    vi.useFakeTimers();
    const leaving = new AbortController();
    const reads = readsOf([['open']]);
    const waited = awaitTurn(reads.read, 60_000, undefined, leaving.signal);
    await vi.advanceTimersByTimeAsync(5);
    // Counted against what is there, not from nothing: the unit files share a worker, and another
    // file's leftover work may hold a timer of its own on the faked clock.
    const pausing = vi.getTimerCount();
    expect(pausing).toBeGreaterThanOrEqual(1);
    leaving.abort();
    expect(vi.getTimerCount()).toBe(pausing - 1);
    expect(await waited).toBe('left');
    expect(reads.count()).toBe(1);
  });

  it('leaves no listener on the request\'s signal once its turn comes after several pauses', async () => {
    vi.useFakeTimers();
    const request = new AbortController();
    const waited = awaitTurn(readsOf([['open'], ['open'], ['open'], ['sent']]).read, 60_000, undefined, request.signal);
    await vi.runAllTimersAsync();
    expect(await waited).toBe('turn');
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0);
  });

  it('measures its wait on a monotonic clock: a wall clock set forward meanwhile does not cut it short', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const reads = readsOf([['open'], ['open'], ['sent']]);
      const waited = awaitTurn(async () => {
        const states = await reads.read();
        vi.setSystemTime(Date.now() + 60 * 60_000);
        return states;
      }, 1_000);
      expect(await waited).toBe('turn');
    } finally {
      vi.useRealTimers();
    }
  });
});
