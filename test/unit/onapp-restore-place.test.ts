import { afterEach, describe, expect, it, vi } from 'vitest';
import { RESTORE_TURN_WAIT_MS, restorePlaceInToken, restoreReadInToken, restoresBeforePlace, restoreToken, restoreTurnWaitMs, waitForRestoreTurn } from '../../src/providers/onapp/restore-place.js';
import { CreateOrder, MOST_OVERLAPPING_CREATES, placeKey } from '../../src/state/create-order.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { LEASE_MARGIN_MS } from '../../src/state/place-lease.js';

describe('restorePlaceInToken', () => {
  it('reads an operation id made before places as the first, and a place of one spelling up to the most', () => {
    expect(restorePlaceInToken(['120'])).toBe(1);
    expect(restorePlaceInToken(['120', '2'])).toBe(2);
    expect(restorePlaceInToken(['120', String(MOST_OVERLAPPING_CREATES)])).toBe(MOST_OVERLAPPING_CREATES);
  });

  it('refuses a place that is no place (BAD_USER_INPUT), never a poll of another restore', () => {
    for (const text of ['0', '02', '-1', 'x', String(MOST_OVERLAPPING_CREATES + 1), '']) {
      expect(() => restorePlaceInToken(['120', text])).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
    // The client is told what the place is among.
    expect(() => restorePlaceInToken(['120', 'x'])).toThrow('operation id has no valid place among the restores of its virtual server');
  });
});

describe('restoreToken and restoreReadInToken', () => {
  it('writes the newest transaction a restore read itself only where it is newer than its series\' watermark, and reads it back', () => {
    expect(restoreToken(120, 1, 120)).toEqual(['120', '1']);
    expect(restoreToken(120, 2, 90)).toEqual(['120', '2']);
    expect(restoreToken(120, 2, 185)).toEqual(['120', '2', '185']);
    expect(restoreReadInToken(['120', '2', '185'], 120)).toBe(185);
    // Made before it was written (or with none newer): the watermark, as before.
    expect(restoreReadInToken(['120', '2'], 120)).toBe(120);
    expect(restoreReadInToken([], 0)).toBe(0);
  });

  it('refuses one that is no number, of another spelling, or not above the watermark (BAD_USER_INPUT): one operation, one id', () => {
    for (const text of ['', 'x', '0185', '-185', '1e3', '120', '119', '99999999999999999']) {
      expect(() => restoreReadInToken(['120', '2', text], 120)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
  });
});

describe('restoresBeforePlace', () => {
  it('counts the places before this one whose POST was sent (held, or no longer held), not those given up', () => {
    expect(restoresBeforePlace([], 1)).toEqual({ sent: 0, uncertain: 0 });
    expect(restoresBeforePlace(['open', 'open'], 2)).toEqual({ sent: 1, uncertain: 0 });
    expect(restoresBeforePlace(['given-up', 'unheld', 'open', 'open'], 4)).toEqual({ sent: 2, uncertain: 0 });
    expect(restoresBeforePlace(['given-up', 'open'], 2)).toEqual({ sent: 0, uncertain: 0 });
  });

  it('counts apart the places whose POST may or may not have reached OnApp', () => {
    expect(restoresBeforePlace(['uncertain', 'open'], 2)).toEqual({ sent: 0, uncertain: 1 });
    expect(restoresBeforePlace(['open', 'uncertain', 'given-up', { found: '9' }, 'uncertain', 'open'], 6)).toEqual({ sent: 2, uncertain: 2 });
  });
});

/** A memory store whose lease renewals end the request they are made for, as a client leaving while one is out. */
class LeavingOnRenewal extends MemoryStore {
  readonly leaving = new AbortController();

  override extendIfPresent(key: string, ttlMs: number): Promise<boolean> {
    this.leaving.abort();
    return super.extendIfPresent(key, ttlMs);
  }
}

describe('waitForRestoreTurn', () => {
  it('sends nothing for a client that left while the lease\'s renewal before the POST was out: CONFLICT, its place given up', async () => {
    const series = 'onapp-a:7:40';
    const store = new LeavingOnRenewal();
    const order = new CreateOrder(store);
    const lease = order.lease(series, 13_000);
    try {
      expect(await lease.open()).toBe(true);
      const place = await order.take(series, 30 * 60_000, [], lease);
      expect(place).toBe(1);
      const waited = waitForRestoreTurn({ order, series, place: 1, lease, settlesAfterMs: 30 * 60_000, accountId: 'onapp-a', signal: store.leaving.signal });
      await expect(waited).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('the request ended') });
      // Given up, and deleted (no later place held): nothing of it is counted.
      expect(await store.get(placeKey(series, 1))).toBeUndefined();
    } finally {
      lease.stop();
    }
  });
});

describe('waitForRestoreTurn beside a lease longer than 30 s (an account whose timeoutMs is 40 s)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits past 30 s for an earlier place whose replica died, and goes ahead once its lease lapses: not refused CONFLICT while it lives', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    // lru-cache reads an entry set at 0 as one with no start, which never expires.
    vi.advanceTimersByTime(1_000);
    const series = 'onapp-a:7:41';
    const leaseMs = 40_000 + LEASE_MARGIN_MS;
    // The store's TTLs on the same (moved) clock as the wait.
    const store = new MemoryStore(undefined, { now: () => performance.now() });
    const order = new CreateOrder(store);
    const dead = order.lease(series, leaseMs);
    const later = order.lease(series, leaseMs);
    try {
      expect(await dead.open()).toBe(true);
      expect(await order.take(series, 30 * 60_000, [], dead)).toBe(1);
      // Its replica dies before its POST: no more renewals, no mark.
      dead.stop();
      expect(await later.open()).toBe(true);
      expect(await order.take(series, 30 * 60_000, [], later)).toBe(2);
      let outcome: unknown = 'waiting';
      waitForRestoreTurn({ order, series, place: 2, lease: later, settlesAfterMs: 30 * 60_000, accountId: 'onapp-a' }).then(
        () => void (outcome = 'turn'),
        (error: unknown) => void (outcome = error),
      );
      // Before, refused here: "still being sent to OnApp after 30 s", place 1's lease alive for 13 s more.
      await vi.advanceTimersByTimeAsync(RESTORE_TURN_WAIT_MS + 1_000);
      expect(outcome).toBe('waiting');
      await vi.advanceTimersByTimeAsync(leaseMs - RESTORE_TURN_WAIT_MS);
      expect(outcome).toBe('turn');
      expect(await order.statesBefore(series, 2, 30 * 60_000)).toEqual(['uncertain']);
    } finally {
      dead.stop();
      later.stop();
    }
  });

  it('waits 30 s beside the default lease (timeoutMs 10 s), and a lease and a second longer beside a longer one', () => {
    expect(restoreTurnWaitMs(10_000 + LEASE_MARGIN_MS)).toBe(RESTORE_TURN_WAIT_MS);
    expect(restoreTurnWaitMs(60_000 + LEASE_MARGIN_MS)).toBe(64_000);
  });
});
