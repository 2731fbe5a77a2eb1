import { describe, expect, it } from 'vitest';
import { restorePlaceInToken, restoresBeforePlace, waitForRestoreTurn } from '../../src/providers/onapp/restore-place.js';
import { CreateOrder, MOST_OVERLAPPING_CREATES, placeKey } from '../../src/state/create-order.js';
import { MemoryStore } from '../../src/state/memory-store.js';

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
