import { describe, expect, it, vi } from 'vitest';
import { FINISH_TIME_KEPT_MS } from '../../src/gateway/finish-times.js';
import { CREATE_ORDER_STORE_WAIT_MS, CreateOrder, PLACE_TAKE_STORE_WAIT_MS, GIVEN_UP_KEPT_MS, MOST_OVERLAPPING_CREATES, MOST_TAKE_LOOKS, openKey, placeAboveHeld, placeKey, placeKeys, statesOf } from '../../src/state/create-order.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { RecordingStore } from './recording-store.js';

const SERIES = 'onapp-a:7:40';
const HELD_MS = 60_000;
/** When an uncertain place settles (OnApp's restores: their 30 minutes). */
const SETTLES_MS = 30 * 60_000;

/** A store that never answers, as a Redis that went away looks while ioredis reconnects. */
function silentStore(): KeyValueStore {
  const never = () => new Promise<never>(() => {});
  return Object.assign(new MemoryStore(), { get: never, getMany: never, set: never, setIfAbsent: never, delete: never, deleteUnlessHeld: never });
}

/** A memory store whose calls after the first `answered` never answer. */
function silentAfter(answered: number): KeyValueStore {
  const inner = new MemoryStore();
  let calls = 0;
  const gate =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      ++calls > answered ? new Promise<never>(() => {}) : call(...args);
  return Object.assign(Object.create(inner) as KeyValueStore, {
    get: gate(inner.get.bind(inner)),
    getMany: gate(inner.getMany.bind(inner)),
    set: gate(inner.set.bind(inner)),
    setIfAbsent: gate(inner.setIfAbsent.bind(inner)),
    delete: gate(inner.delete.bind(inner)),
    deleteUnlessHeld: gate(inner.deleteUnlessHeld.bind(inner)),
  });
}

describe('CreateOrder', () => {
  it('gives creates of one series places 1, 2, 3 in the order they ask, even all at once', async () => {
    const order = new CreateOrder(new MemoryStore());
    expect(await Promise.all([order.take(SERIES, HELD_MS), order.take(SERIES, HELD_MS), order.take(SERIES, HELD_MS)])).toEqual([1, 2, 3]);
    expect(await order.take('onapp-a:7:41', HELD_MS)).toBe(1);
    expect(await order.take('onapp-a:8:40', HELD_MS)).toBe(1);
  });

  it('gives two orders over one store (two gateway processes) different places', async () => {
    const store = new MemoryStore();
    const [here, there] = [new CreateOrder(store), new CreateOrder(store)];
    expect(await Promise.all([here.take(SERIES, HELD_MS), there.take(SERIES, HELD_MS)])).toEqual([1, 2]);
  });

  it('holds a place, and marks its series open, for the time asked', async () => {
    const store = new RecordingStore();
    const order = new CreateOrder(store);
    await order.take(SERIES, HELD_MS);
    expect(store.calls).toEqual([
      { method: 'getMany', keys: [...placeKeys(SERIES, MOST_OVERLAPPING_CREATES), openKey(SERIES)] },
      { method: 'setIfAbsent', keys: [placeKey(SERIES, 1)], ttlMs: HELD_MS },
      { method: 'set', keys: [openKey(SERIES)], ttlMs: HELD_MS },
    ]);
  });

  it('remembers in the open mark the older series each create of the series was given, across its creates', async () => {
    const order = new CreateOrder(new MemoryStore());
    expect(await order.olderOf(SERIES)).toEqual([]);
    await order.take(SERIES, HELD_MS, ['0', '38', '39']);
    // A later create of the series no longer lists 38 (deleted): the series still looks through it.
    await order.take(SERIES, HELD_MS, ['0', '39']);
    expect((await order.olderOf(SERIES))?.toSorted()).toEqual(['0', '38', '39']);
  });

  it('takes the next free place when another process took the free one it saw', async () => {
    const store = new MemoryStore();
    const racing = Object.assign(Object.create(store) as KeyValueStore, {
      getMany: async (keys: readonly string[]) => {
        const seen = await store.getMany<string>(keys);
        // Taken by someone else between the look and the take.
        await store.setIfAbsent(placeKey(SERIES, 2), 'taken', HELD_MS);
        return seen;
      },
    });
    await store.setIfAbsent(placeKey(SERIES, 1), 'taken', HELD_MS);
    expect(await new CreateOrder(racing).take(SERIES, HELD_MS)).toBe(3);
  });

  it('never takes a free place below a held one (its time ran out, its call was made): the places after it count it', async () => {
    const store = new MemoryStore();
    const order = new CreateOrder(store);
    for (let place = 1; place <= 2; place++) await order.take(SERIES, HELD_MS);
    await store.delete(placeKey(SERIES, 1));
    expect(await order.take(SERIES, HELD_MS)).toBe(3);
    expect(await order.statesBefore(SERIES, 3, SETTLES_MS)).toEqual(['unheld', 'open']);
  });

  it('reads its series again when the place below the one it tries is freed, and gives up as full after MOST_TAKE_LOOKS reads of a series that changes every time', async () => {
    const store = new RecordingStore();
    await store.set(placeKey(SERIES, 1), 'taken:another', HELD_MS);
    // Each write refused as though the place below were freed just before it, and taken again after.
    const changing = Object.assign(Object.create(store) as RecordingStore, { setIfAbsentAbove: async () => false });
    expect(await new CreateOrder(changing).take(SERIES, HELD_MS)).toBe('full');
    expect(store.calls.filter((call) => call.method === 'getMany')).toHaveLength(MOST_TAKE_LOOKS);
    expect(await store.get(placeKey(SERIES, 2))).toBeUndefined();
  });

  it('keeps a place whose take landed but answered "taken" (sent again after its answer was lost), and takes no second one', async () => {
    const store = new MemoryStore();
    let answersLost = 1;
    const resending = Object.assign(Object.create(store) as KeyValueStore, {
      setIfAbsent: async <T>(key: string, value: T, ttlMs: number) => {
        const taken = await store.setIfAbsent(key, value, ttlMs);
        if (!taken || answersLost === 0) return taken;
        answersLost -= 1;
        return false;
      },
    });
    expect(await new CreateOrder(resending).take(SERIES, HELD_MS)).toBe(1);
    expect(statesOf(await store.getMany(placeKeys(SERIES, 2)))).toEqual(['open', 'unheld']);
    // Another's place is still another's.
    expect(await new CreateOrder(store).take(SERIES, HELD_MS)).toBe(2);
  });

  it('says full when every place is held, and fills a place given up in the middle only never', async () => {
    const order = new CreateOrder(new MemoryStore());
    for (let place = 1; place <= MOST_OVERLAPPING_CREATES; place++) expect(await order.take(SERIES, HELD_MS)).toBe(place);
    expect(await order.take(SERIES, HELD_MS)).toBe('full');
    await order.giveUp(SERIES, 5);
    expect(await order.take(SERIES, HELD_MS)).toBe('full');
  });

  it('answers full after one look at a full series, writing no place', async () => {
    const store = new RecordingStore();
    const order = new CreateOrder(store);
    for (let place = 1; place <= MOST_OVERLAPPING_CREATES; place++) await order.take(SERIES, HELD_MS);
    store.calls.length = 0;
    expect(await order.take(SERIES, HELD_MS)).toBe('full');
    expect(store.calls.map((call) => call.method)).toEqual(['getMany']);
  });

  it('reads the places of its series up to its own, after every place of the older series still open', async () => {
    const order = new CreateOrder(new MemoryStore());
    const [older, closed, mine] = ['onapp-a:7:38', 'onapp-a:7:39', SERIES];
    for (let place = 1; place <= 3; place++) await order.take(older, HELD_MS);
    await order.giveUp(older, 2);
    await order.found(older, 1, '39');
    for (let place = 1; place <= 3; place++) await order.take(mine, HELD_MS);
    expect(await order.claimsUpTo([older, closed], mine, 2)).toEqual([[{ found: '39' }, 'given-up', 'open'], [], ['open', 'open']]);
    expect(await order.claimsUpTo([], mine, 1)).toEqual([['open']]);
  });

  it('keeps each older series its own places, and an open one whose places are all no longer held has none', async () => {
    const store = new MemoryStore();
    const order = new CreateOrder(store);
    const [oldest, older, empty] = ['onapp-a:7:37', 'onapp-a:7:38', 'onapp-a:7:39'];
    await order.take(oldest, HELD_MS);
    for (let place = 1; place <= 2; place++) await order.take(older, HELD_MS);
    await order.giveUp(older, 1);
    await order.take(empty, HELD_MS);
    await store.delete(placeKey(empty, 1));
    await order.take(SERIES, HELD_MS);
    expect(await order.claimsUpTo([oldest, older, empty], SERIES, 1)).toEqual([['open'], ['given-up', 'open'], [], ['open']]);
  });

  it('a store that answers the first read and not the second gives no places: the caller counts its own series alone', async () => {
    const inner = new MemoryStore();
    const order = new CreateOrder(inner);
    await order.take('onapp-a:7:39', HELD_MS);
    await order.take(SERIES, HELD_MS);
    vi.useFakeTimers();
    try {
      const silentSecond = silentAfter(0);
      let reads = 0;
      const halfway = Object.assign(Object.create(inner) as KeyValueStore, {
        getMany: (keys: readonly string[]) => (++reads === 1 ? inner.getMany(keys) : silentSecond.getMany(keys)),
      });
      const reading = new CreateOrder(halfway).claimsUpTo(['onapp-a:7:39'], SERIES, 1);
      await vi.advanceTimersByTimeAsync(CREATE_ORDER_STORE_WAIT_MS);
      expect(await reading).toBeUndefined();
      expect(reads).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps a found backup as long as operations are followed, over the place held', async () => {
    const store = new RecordingStore();
    const order = new CreateOrder(store);
    await order.take(SERIES, HELD_MS);
    store.calls.length = 0;
    await order.found(SERIES, 1, '41');
    expect(store.calls).toEqual([{ method: 'set', keys: [placeKey(SERIES, 1)], ttlMs: GIVEN_UP_KEPT_MS }]);
    expect(await order.claimsUpTo([], SERIES, 1)).toEqual([[{ found: '41' }]]);
    expect(await order.take(SERIES, HELD_MS)).toBe(2);
  });

  it('counts a place no longer held before one that is as open, and ignores an older series past its last place held', async () => {
    const store = new MemoryStore();
    const order = new CreateOrder(store);
    const older = 'onapp-a:7:39';
    for (let place = 1; place <= 3; place++) await order.take(older, HELD_MS);
    await store.delete(placeKey(older, 1));
    await store.delete(placeKey(older, 3));
    for (let place = 1; place <= 2; place++) await order.take(SERIES, HELD_MS);
    await store.delete(placeKey(SERIES, 1));
    expect(await order.claimsUpTo([older], SERIES, 2)).toEqual([['unheld', 'open'], ['unheld', 'open']]);
  });

  it('keeps a place given up while a later one is held for as long as operations are followed, and never takes it again', async () => {
    const store = new RecordingStore();
    const order = new CreateOrder(store);
    await order.take(SERIES, HELD_MS);
    await order.take(SERIES, HELD_MS);
    store.calls.length = 0;
    await order.giveUp(SERIES, 1);
    expect(store.calls).toEqual([
      { method: 'set', keys: [placeKey(SERIES, 1)], ttlMs: GIVEN_UP_KEPT_MS },
      { method: 'deleteUnlessHeld', keys: [placeKey(SERIES, 1), placeKey(SERIES, 2)] },
    ]);
    expect(await order.take(SERIES, HELD_MS)).toBe(3);
  });

  it('deletes a place given up with no later one held, so failures one after another never fill the series', async () => {
    const order = new CreateOrder(new MemoryStore());
    for (let attempt = 0; attempt < MOST_OVERLAPPING_CREATES + 3; attempt++) {
      expect(await order.take(SERIES, HELD_MS)).toBe(1);
      await order.giveUp(SERIES, 1);
    }
    await order.take(SERIES, HELD_MS);
    expect(await order.take(SERIES, HELD_MS)).toBe(2);
    await order.giveUp(SERIES, 2);
    expect(await order.claimsUpTo([], SERIES, 1)).toEqual([['open']]);
    expect(await order.take(SERIES, HELD_MS)).toBe(2);
  });

  it('keeps a place whose call may have reached the provider marked uncertain for as long as operations are followed, even with no later place held: the next call takes the next place', async () => {
    const store = new RecordingStore();
    const order = new CreateOrder(store);
    expect(await order.take(SERIES, HELD_MS)).toBe(1);
    store.calls.length = 0;
    await order.keepUncertain(SERIES, 1, SETTLES_MS);
    expect(store.calls).toEqual([{ method: 'set', keys: [placeKey(SERIES, 1)], ttlMs: GIVEN_UP_KEPT_MS }]);
    expect(await order.take(SERIES, HELD_MS)).toBe(2);
    expect(await order.claimsUpTo([], SERIES, 2)).toEqual([['uncertain', 'open']]);
    expect(statesOf(['uncertain', 'uncertain:1700000000000', 'uncertain:soon'])).toEqual(['uncertain', 'uncertain', 'uncertain']);
  });

  it('a full series of uncertain places is refused until they settle; the first take after that gives them up, freeing those with no later place held', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const order = new CreateOrder(new MemoryStore());
      for (let place = 1; place <= MOST_OVERLAPPING_CREATES; place += 1) {
        expect(await order.take(SERIES, HELD_MS)).toBe(place);
        await order.keepUncertain(SERIES, place, SETTLES_MS);
      }
      expect(await order.take(SERIES, HELD_MS)).toBe('full');
      vi.setSystemTime(Date.now() + SETTLES_MS - 1);
      expect(await order.take(SERIES, HELD_MS)).toBe('full');
      vi.setSystemTime(Date.now() + 1);
      expect(await order.take(SERIES, HELD_MS)).toBe(1);
      // Every one given up and deleted, the last first: only the new take's place is held.
      expect(await order.claimsUpTo([], SERIES, 3)).toEqual([['open', 'unheld', 'unheld']]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('an uncertain place before a held one stays uncertain past its time (that one still counts it as maybe made); freed, with a place given up after it, once the series\' end is clear', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // Entries age by the moved Date, so places 3 and 4 go at their time.
      const order = new CreateOrder(new MemoryStore(undefined, { now: () => Date.now() }));
      expect(await order.take(SERIES, HELD_MS)).toBe(1);
      await order.keepUncertain(SERIES, 1, SETTLES_MS);
      expect(await order.take(SERIES, HELD_MS)).toBe(2);
      expect(await order.take(SERIES, SETTLES_MS * 2)).toBe(3);
      await order.giveUp(SERIES, 2);
      vi.setSystemTime(Date.now() + SETTLES_MS);
      expect(await order.take(SERIES, HELD_MS)).toBe(4);
      expect(await order.claimsUpTo([], SERIES, 4)).toEqual([['uncertain', 'given-up', 'open', 'open']]);
      await order.keepUncertain(SERIES, 4, SETTLES_MS);
      // Place 3 no longer held (past its time) and 4 settled: 2, given up, goes once 4 is freed, and 1 with it.
      vi.setSystemTime(Date.now() + SETTLES_MS * 2);
      expect(await order.take(SERIES, HELD_MS)).toBe(1);
      expect(await order.claimsUpTo([], SERIES, 4)).toEqual([['open', 'unheld', 'unheld', 'unheld']]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a create series\' places given up are left as giveUp left them: only a settled uncertain place frees the ones before it', async () => {
    const store = new MemoryStore();
    const order = new CreateOrder(store);
    expect(await order.take(SERIES, HELD_MS)).toBe(1);
    expect(await order.take(SERIES, HELD_MS)).toBe(2);
    await order.giveUp(SERIES, 1);
    await store.delete(placeKey(SERIES, 2));
    expect(await order.take(SERIES, HELD_MS)).toBe(2);
    expect(await order.claimsUpTo([], SERIES, 2)).toEqual([['given-up', 'open']]);
  });

  it('a create taking the next place while a place is given up never leaves it counting a place no longer held', async () => {
    const store = new MemoryStore();
    const order = new CreateOrder(store);
    expect(await order.take(SERIES, HELD_MS)).toBe(1);
    let taken: Promise<unknown> | undefined;
    // Another gateway's create takes a place (it sees place 1 marked, so takes the next) after the
    // give-up has looked at the next place and before it deletes: a look and a delete apart.
    const takeNow = () => (taken ??= new CreateOrder(store).take(SERIES, HELD_MS));
    const racing = Object.assign(Object.create(store) as KeyValueStore, {
      get: async <T>(key: string) => {
        const value = await store.get<T>(key);
        await takeNow();
        return value;
      },
      deleteUnlessHeld: async <T>(key: string, guard: string, holding: T) => {
        await takeNow();
        return store.deleteUnlessHeld(key, guard, holding);
      },
    });
    await new CreateOrder(racing).giveUp(SERIES, 1);
    expect(await taken).toBe(2);
    expect(await order.claimsUpTo([], SERIES, 2)).toEqual([['given-up', 'open']]);
  });

  it('keeps the place given up marked when the store does not say whether a later one is held', async () => {
    const store = Object.assign(new MemoryStore(), { deleteUnlessHeld: () => new Promise<never>(() => {}) });
    const order = new CreateOrder(store);
    await order.take(SERIES, HELD_MS);
    vi.useFakeTimers();
    try {
      const givingUp = order.giveUp(SERIES, 1);
      await vi.advanceTimersByTimeAsync(CREATE_ORDER_STORE_WAIT_MS);
      await givingUp;
    } finally {
      vi.useRealTimers();
    }
    expect(await store.getMany([placeKey(SERIES, 1)])).toEqual(['given-up']);
  });

  it('a store that does not answer holds no read longer than CREATE_ORDER_STORE_WAIT_MS a call, and no take longer than PLACE_TAKE_STORE_WAIT_MS, and is reported', async () => {
    vi.useFakeTimers();
    try {
      const unanswered = vi.fn();
      const order = new CreateOrder(silentStore(), unanswered);
      let took: unknown;
      const taking = order.take(SERIES, HELD_MS).then((taken) => (took = taken));
      const reading = order.claimsUpTo(['onapp-a:7:39'], SERIES, 3);
      const remembering = order.olderOf(SERIES);
      const finding = order.found(SERIES, 1, '41');
      const givingUp = order.giveUp(SERIES, 2);
      await vi.advanceTimersByTimeAsync(CREATE_ORDER_STORE_WAIT_MS);
      expect(await reading).toBeUndefined();
      expect(await remembering).toBeUndefined();
      await givingUp;
      await finding;
      // A take waits as a mutation does: ioredis's reconnect after a lost answer, on a loaded machine, outlasts a poll's wait.
      expect(took).toBeUndefined();
      await vi.advanceTimersByTimeAsync(PLACE_TAKE_STORE_WAIT_MS - CREATE_ORDER_STORE_WAIT_MS - 1);
      expect(unanswered).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(await taking).toBe('unanswered');
      expect(unanswered).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a take whose setIfAbsent goes unanswered', async () => {
    vi.useFakeTimers();
    try {
      const unanswered = vi.fn();
      const taking = new CreateOrder(silentAfter(1), unanswered).take(SERIES, HELD_MS);
      await vi.advanceTimersByTimeAsync(PLACE_TAKE_STORE_WAIT_MS);
      expect(await taking).toBe('unanswered');
      expect(unanswered).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives back the place a take may hold when its setIfAbsent lands but goes unanswered: the next create takes place 1', async () => {
    vi.useFakeTimers();
    try {
      const inner = new MemoryStore();
      let lost = false;
      // The take runs in the store, and its answer is lost with the connection (once).
      const store = Object.assign(inner, {
        setIfAbsent: (...args: Parameters<MemoryStore['setIfAbsent']>): Promise<boolean> => {
          const done = MemoryStore.prototype.setIfAbsent.apply(inner, args);
          if (lost) return done;
          lost = true;
          return done.then(() => new Promise<never>(() => {}));
        },
      });
      const order = new CreateOrder(store, () => {});
      const taking = order.take(SERIES, HELD_MS);
      await vi.advanceTimersByTimeAsync(2 * PLACE_TAKE_STORE_WAIT_MS);
      expect(await taking).toBe('unanswered');
      // Kept, place 1 was held by no create, and the next one took place 2.
      const next = order.take(SERIES, HELD_MS);
      await vi.advanceTimersByTimeAsync(PLACE_TAKE_STORE_WAIT_MS);
      expect(await next).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the place it gives back marked while a later place is held, so no create takes it again', async () => {
    vi.useFakeTimers();
    try {
      const inner = new MemoryStore();
      const order = new CreateOrder(inner, () => {});
      expect(await order.take(SERIES, HELD_MS)).toBe(1);
      expect(await order.take(SERIES, HELD_MS)).toBe(2);
      // Place 1's create is gone; place 2's is still running.
      await inner.delete(placeKey(SERIES, 1));
      let lost = false;
      const lossy = Object.assign(Object.create(inner) as MemoryStore, {
        setIfAbsent: (...args: Parameters<MemoryStore['setIfAbsent']>): Promise<boolean> => {
          const done = inner.setIfAbsent(...args);
          if (lost) return done;
          lost = true;
          return done.then(() => new Promise<never>(() => {}));
        },
      });
      const taking = new CreateOrder(lossy, () => {}).take(SERIES, HELD_MS);
      await vi.advanceTimersByTimeAsync(2 * PLACE_TAKE_STORE_WAIT_MS);
      expect(await taking).toBe('unanswered');
      expect(await order.take(SERIES, HELD_MS)).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a take answered 'taken' whose place cannot be read back in time, never taking the next place", async () => {
    vi.useFakeTimers();
    try {
      const inner = new MemoryStore();
      const first = new CreateOrder(inner, () => {});
      expect(await first.take(SERIES, HELD_MS)).toBe(1);
      // This take read place 1 free just before another create took it, and cannot read it back.
      const store = Object.assign(Object.create(inner) as MemoryStore, {
        getMany: async (keys: readonly string[]) => keys.map(() => undefined),
        get: () => new Promise<never>(() => {}),
      });
      const unanswered = vi.fn();
      const taking = new CreateOrder(store, unanswered).take(SERIES, HELD_MS);
      await vi.advanceTimersByTimeAsync(2 * PLACE_TAKE_STORE_WAIT_MS);
      expect(await taking).toBe('unanswered');
      expect(unanswered).toHaveBeenCalledTimes(1);
      // The other create's place stays its own.
      expect(await first.take(SERIES, HELD_MS)).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a store that fails counts as unanswered, for a take and for a read', async () => {
    const store = new RecordingStore();
    const order = new CreateOrder(store);
    await order.take(SERIES, HELD_MS);
    await order.take(SERIES, HELD_MS);
    await order.giveUp(SERIES, 1);
    store.failing = true;
    expect(await order.take(SERIES, HELD_MS)).toBe('unanswered');
    expect(await order.claimsUpTo([], SERIES, 2)).toBeUndefined();
    // Not none remembered: a poll must not count its creates' backups without the older series.
    expect(await order.olderOf(SERIES)).toBeUndefined();
    await order.giveUp(SERIES, 2);
    await order.found(SERIES, 2, '41');
  });

  it('reads the older series still open in one more round trip only when one is', async () => {
    const store = new RecordingStore();
    const order = new CreateOrder(store);
    await order.take(SERIES, HELD_MS);
    store.calls.length = 0;
    expect(await order.claimsUpTo(['onapp-a:7:38', 'onapp-a:7:39'], SERIES, 1)).toEqual([[], [], ['open']]);
    expect(store.calls).toEqual([{ method: 'getMany', keys: [openKey('onapp-a:7:38'), openKey('onapp-a:7:39'), placeKey(SERIES, 1)] }]);
    await order.take('onapp-a:7:39', HELD_MS);
    store.calls.length = 0;
    await order.claimsUpTo(['onapp-a:7:38', 'onapp-a:7:39'], SERIES, 1);
    expect(store.calls.at(-1)).toEqual({ method: 'getMany', keys: placeKeys('onapp-a:7:39', MOST_OVERLAPPING_CREATES) });
  });

  it('reports a take whose open mark goes unanswered, and keeps the place it holds (placeless, it would read as place 1)', async () => {
    vi.useFakeTimers();
    try {
      const unanswered = vi.fn();
      const taking = new CreateOrder(silentAfter(2), unanswered).take(SERIES, HELD_MS);
      await vi.advanceTimersByTimeAsync(PLACE_TAKE_STORE_WAIT_MS);
      expect(await taking).toBe(1);
      expect(unanswered).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports nothing for a take the store answered in time', async () => {
    const unanswered = vi.fn();
    expect(await new CreateOrder(new MemoryStore(), unanswered).take(SERIES, HELD_MS)).toBe(1);
    expect(unanswered).not.toHaveBeenCalled();
  });

  it("remembers in the open mark the older series its creates were given, the newest 64, and reads them back", async () => {
    const store = new MemoryStore();
    const order = new CreateOrder(store);
    await order.take(SERIES, HELD_MS, ['onapp-a:7:38', 'onapp-a:7:39']);
    await order.take(SERIES, HELD_MS, ['onapp-a:7:39', 'onapp-a:7:37']);
    expect(await order.olderOf(SERIES)).toEqual(['onapp-a:7:38', 'onapp-a:7:39', 'onapp-a:7:37']);
    const many = Array.from({ length: 70 }, (_, index) => `onapp-a:7:${index}`);
    await order.take(SERIES, HELD_MS, many);
    expect(await store.get<string[]>(openKey(SERIES))).toHaveLength(64);
    const remembered = await order.olderOf(SERIES);
    expect(remembered).toHaveLength(64);
    expect(remembered?.at(-1)).toBe('onapp-a:7:69');
    expect(remembered).not.toContain('onapp-a:7:38');
  });

  it('reads an open mark that remembers nothing (written before marks remembered, or not a list) as none', async () => {
    const store = new MemoryStore();
    const order = new CreateOrder(store);
    await store.set(openKey(SERIES), 'taken', HELD_MS);
    expect(await order.olderOf(SERIES)).toEqual([]);
    await store.set(openKey(SERIES), ['onapp-a:7:38', 7, null], HELD_MS);
    expect(await order.olderOf(SERIES)).toEqual(['onapp-a:7:38']);
    // A mark written longer than this gateway keeps them: the newest 64.
    await store.set(openKey(SERIES), Array.from({ length: 70 }, (_, index) => `onapp-a:7:${index}`), HELD_MS);
    expect(await order.olderOf(SERIES)).toEqual(Array.from({ length: 64 }, (_, index) => `onapp-a:7:${index + 6}`));
    // A take given no older series adds none.
    await order.take('onapp-a:7:50', HELD_MS);
    expect(await order.olderOf('onapp-a:7:50')).toEqual([]);
    expect(await order.olderOf('onapp-a:7:99')).toEqual([]);
  });

  it('finds the highest backup its places record as found, by number; none when none is found, unanswered when the store is silent', async () => {
    const store = new MemoryStore();
    const order = new CreateOrder(store);
    expect(await order.highestFound(SERIES)).toBeUndefined();
    for (let place = 1; place <= 4; place++) await order.take(SERIES, HELD_MS);
    // Not in order: 'x' first (no number), then the highest before a lower one.
    await order.found(SERIES, 1, 'x');
    await order.found(SERIES, 2, '12');
    await order.found(SERIES, 3, '9');
    expect(await order.highestFound(SERIES)).toBe('12');
    await order.found(SERIES, 4, '100');
    expect(await order.highestFound(SERIES)).toBe('100');
    vi.useFakeTimers();
    try {
      const silent = new CreateOrder(silentStore()).highestFound(SERIES);
      await vi.advanceTimersByTimeAsync(PLACE_TAKE_STORE_WAIT_MS);
      // Not "none found": the OnApp adapter then refused the create CONFLICT, a store failure told as the disk's state.
      expect(await silent).toBe('unanswered');
    } finally {
      vi.useRealTimers();
    }
  });

  it('finds the highest of ids past 2^53 exactly (OnApp may write them as exact strings; as numbers they read as one)', async () => {
    const order = new CreateOrder(new MemoryStore());
    for (let place = 1; place <= 3; place++) await order.take(SERIES, HELD_MS);
    await order.found(SERIES, 1, '123456789012345679');
    await order.found(SERIES, 2, '123456789012345681');
    await order.found(SERIES, 3, '123456789012345680');
    expect(await order.highestFound(SERIES)).toBe('123456789012345681');
  });

  it('marks a place whose call was answered sent, for the time asked, and reads the places before one (none for place 1, without a round trip)', async () => {
    const store = new RecordingStore();
    const order = new CreateOrder(store);
    expect(await Promise.all([order.take(SERIES, HELD_MS), order.take(SERIES, HELD_MS), order.take(SERIES, HELD_MS)])).toEqual([1, 2, 3]);
    const holding = await store.get<string>(placeKey(SERIES, 1));
    store.calls.length = 0;
    await order.sent(SERIES, 1, SETTLES_MS, holding!);
    expect(store.calls).toEqual([{ method: 'replaceIfEqual', keys: [placeKey(SERIES, 1)], ttlMs: SETTLES_MS }]);
    await order.giveUp(SERIES, 2);
    expect(await order.statesBefore(SERIES, 3, SETTLES_MS)).toEqual(['sent', 'given-up']);
    store.calls.length = 0;
    expect(await order.statesBefore(SERIES, 1, SETTLES_MS)).toEqual([]);
    expect(store.calls).toEqual([]);
  });

  it('reads the places before one as unanswered when the store is silent, within a take\'s wait', async () => {
    vi.useFakeTimers();
    try {
      const looked = new CreateOrder(silentStore()).statesBefore(SERIES, 2, SETTLES_MS);
      await vi.advanceTimersByTimeAsync(PLACE_TAKE_STORE_WAIT_MS);
      expect(await looked).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps a given-up place as long as finish times and idempotency records, never longer', () => {
    expect(GIVEN_UP_KEPT_MS).toBe(FINISH_TIME_KEPT_MS);
  });
});

describe('places', () => {
  it('keys each place under its series', () => {
    expect(placeKey(SERIES, 2)).toBe('onapp-a:7:40:2');
    expect(placeKeys(SERIES, 3)).toEqual(['onapp-a:7:40:1', 'onapp-a:7:40:2', 'onapp-a:7:40:3']);
    expect(placeKeys(SERIES, 0)).toEqual([]);
  });

  it('finds the place after the last one held (never a free one below it), and reads what each place says', () => {
    expect(placeAboveHeld(['taken', undefined, 'given-up', undefined, 'found:4', undefined])).toBe(6);
    expect(placeAboveHeld([undefined, undefined, undefined])).toBe(1);
    expect(placeAboveHeld([undefined, 'taken', undefined])).toBe(3);
    expect(placeAboveHeld([undefined, undefined, 'taken'])).toBeUndefined();
    expect(statesOf(['taken', 'given-up', undefined, 'found:41', 'found:', 'sent'])).toEqual(['open', 'given-up', 'unheld', { found: '41' }, 'open', 'sent']);
    // Another shape (another version's replica): still a held place, never a TypeError.
    expect(statesOf([['found:41', 1, 2, 3, 4, 5, 6], { found: '41' }, 42, null])).toEqual(['open', 'open', 'open', 'open']);
    expect(openKey(SERIES)).toBe('onapp-a:7:40:open');
  });
});
