import { describe, expect, it } from 'vitest';
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
});
