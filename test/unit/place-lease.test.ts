import { afterEach, describe, expect, it, vi } from 'vitest';
import { MUTATION_STORE_WAIT_MS } from '../../src/state/bounded-call.js';
import { CreateOrder, placeKey } from '../../src/state/create-order.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { LEASE_MARGIN_MS, LEASED, leaseHolderOf, leaseKey, PlaceLease } from '../../src/state/place-lease.js';

const SERIES = 'onapp-a:7:40';
const HELD_MS = 30 * 60_000;
const LEASE_MS = 13_000;
const SETTLES_MS = 30 * 60_000;

/** A memory store on a clock the test moves, and the places of its series. */
function placesOnAClock(): { order: CreateOrder; store: MemoryStore; move(ms: number): void } {
  let now = 1_000;
  const store = new MemoryStore(undefined, { now: () => now });
  return { order: new CreateOrder(store), store, move: (ms) => void (now += ms) };
}

const leases: PlaceLease[] = [];
afterEach(() => {
  for (const lease of leases.splice(0)) lease.stop();
  vi.useRealTimers();
});

/** A place of SERIES taken under a lease opened first, as an OnApp restore takes its place. */
async function takeLeased(order: CreateOrder): Promise<{ place: number; lease: PlaceLease }> {
  const lease = order.lease(SERIES, LEASE_MS);
  leases.push(lease);
  expect(await lease.open()).toBe(true);
  const place = await order.take(SERIES, HELD_MS, [], lease);
  if (typeof place !== 'number') throw new Error(`no place: ${place}`);
  return { place, lease };
}

describe('leased places', () => {
  it('is open while its lease lives; once it lapses (its replica gone) it is uncertain, and marked so for good, settling later', async () => {
    const { order, store, move } = placesOnAClock();
    const first = await takeLeased(order);
    const second = await takeLeased(order);
    expect([first.place, second.place]).toEqual([1, 2]);
    expect(leaseHolderOf(await store.get(placeKey(SERIES, 1)))).toBe(first.lease.holder);
    expect(await order.statesBefore(SERIES, 2, SETTLES_MS)).toEqual(['open']);
    // The second's holder renews; the first's is gone.
    move(LEASE_MS - 1_000);
    expect(await second.lease.renew()).toBe(true);
    move(2_000);
    expect(await order.claimsUpTo([], SERIES, 2)).toEqual([['uncertain', 'open']]);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(5_000_000);
    expect(await order.statesBefore(SERIES, 2, SETTLES_MS)).toEqual(['uncertain']);
    expect(await store.get(placeKey(SERIES, 1))).toBe(`uncertain:${5_000_000 + SETTLES_MS}`);
  });

  it('keeps a place a later one marked uncertain when its own call is answered after all: sent() writes only over the holder\'s own value', async () => {
    const { order, store, move } = placesOnAClock();
    const first = await takeLeased(order);
    await takeLeased(order);
    // The first's replica cut off from the store while its call waited for a connection: its lease lapses.
    move(LEASE_MS + 1);
    expect(await order.statesBefore(SERIES, 2, SETTLES_MS)).toEqual(['uncertain']);
    const marked = await store.get(placeKey(SERIES, 1));
    // Its call answered, its mark comes late: the second may have sent its own first, so it stays uncertain.
    await order.sent(SERIES, 1, HELD_MS, first.lease.placeValue);
    expect(await store.get(placeKey(SERIES, 1))).toBe(marked);
    expect(await order.statesBefore(SERIES, 2, SETTLES_MS)).toEqual(['uncertain']);
  });

  it('never renews a lapsed lease: a holder whose place may have been read as abandoned does not make its call', async () => {
    const { order, move } = placesOnAClock();
    const { lease } = await takeLeased(order);
    move(LEASE_MS * 0.75);
    expect(await lease.renew()).toBe(true);
    move(LEASE_MS * 0.75);
    expect(await lease.renew()).toBe(true);
    move(LEASE_MS + 1);
    expect(await lease.renew()).toBe(false);
  });

  it('leaves a place marked by its holder (sent) and a place of a replica of the previous version (`taken:`, no lease) as they are', async () => {
    const { order, store, move } = placesOnAClock();
    const { lease } = await takeLeased(order);
    await store.set(placeKey(SERIES, 2), 'taken:0b0e', HELD_MS);
    await order.sent(SERIES, 1, HELD_MS, lease.placeValue);
    move(LEASE_MS + 1);
    expect(await order.statesBefore(SERIES, 3, SETTLES_MS)).toEqual(['sent', 'open']);
  });
});

/** A memory store whose `set` is never answered (a Redis gone quiet), counting the renewals asked of it. */
class UnansweredSets extends MemoryStore {
  renewals = 0;
  override set(): Promise<void> {
    return new Promise(() => undefined);
  }
  override extendIfPresent(key: string, ttlMs: number): Promise<boolean> {
    this.renewals++;
    return super.extendIfPresent(key, ttlMs);
  }
}

describe('a lease on its own', () => {
  const TTL_MS = 4_000;
  const timers = (): void => void vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });

  it('renews itself while its holder waits (a quarter of its time apart), and lapses once stopped', async () => {
    timers();
    const store = new MemoryStore(undefined, { now: () => Date.now() });
    const lease = new PlaceLease(store, SERIES, TTL_MS);
    leases.push(lease);
    expect(await lease.open()).toBe(true);
    await vi.advanceTimersByTimeAsync(3 * TTL_MS);
    expect(await store.get(leaseKey(SERIES, lease.holder))).toBe('alive');
    lease.stop();
    await vi.advanceTimersByTimeAsync(TTL_MS + 1);
    expect(await store.get(leaseKey(SERIES, lease.holder))).toBeUndefined();
    expect(await lease.renew()).toBe(false);
  });

  it('does not open, nor renew, when the store does not answer within a mutation\'s store wait', async () => {
    timers();
    const store = new UnansweredSets(undefined, { now: () => Date.now() });
    const lease = new PlaceLease(store, SERIES, TTL_MS);
    leases.push(lease);
    const opening = lease.open();
    await vi.advanceTimersByTimeAsync(MUTATION_STORE_WAIT_MS);
    expect(await opening).toBe(false);
    await vi.advanceTimersByTimeAsync(3 * TTL_MS);
    expect(store.renewals).toBe(0);
  });

  it('does not hold the process open while it renews (a shutdown that ends with a lease unstopped still exits)', async () => {
    const heldOpen = (): number => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = heldOpen();
    const lease = new PlaceLease(new MemoryStore(), SERIES, TTL_MS);
    leases.push(lease);
    expect(await lease.open()).toBe(true);
    expect(heldOpen()).toBe(before);
  });

  it('outlasts a call started after a renewal whose answer took the whole store wait', () => {
    expect(LEASE_MARGIN_MS).toBeGreaterThan(MUTATION_STORE_WAIT_MS);
  });

  it("names a holder only in `leased:<holder>`: a bare `leased:` or a value of another shape names none", () => {
    expect(leaseHolderOf(`${LEASED}h-1`)).toBe('h-1');
    expect(leaseHolderOf(LEASED)).toBeUndefined();
    expect(leaseHolderOf('taken:leased:h-1')).toBeUndefined();
    expect(leaseHolderOf(['leased:', 'a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBeUndefined();
    expect(leaseHolderOf(12_345_678)).toBeUndefined();
    expect(leaseHolderOf(undefined)).toBeUndefined();
  });
});
