import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { joinRestoreSeries, type RestorePlacement } from '../../src/providers/onapp/restore-series.js';
import { CreateOrder } from '../../src/state/create-order.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import type { KeyValueStore } from '../../src/state/store.js';

const GROUP = 'onapp-a:480';
const POINTER = `${GROUP}:series`;

/** A restore of the VM whose own watermark is `read`, joining through `order`. */
const restore = (order: CreateOrder, read: number, listed: ReadonlyArray<Record<string, unknown>> = []): Promise<RestorePlacement> =>
  joinRestoreSeries({ order, group: GROUP, read, listed, seriesOf: (watermark) => `${GROUP}:${watermark}`, heldMs: 30 * 60_000, leaseMs: 13_000, accountId: 'onapp-a' });

/** `store`, whose first `replaceIfEqual` of the VM's series to a value `when` picks runs `before` first, and `after` once answered. */
function aroundReplace(store: KeyValueStore, when: (value: unknown) => boolean, before: () => Promise<void>, after: () => void = () => {}): KeyValueStore {
  let done = false;
  return new Proxy(store, {
    get: (target, name, receiver) => {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      if (name !== 'replaceIfEqual') return value.bind(target);
      return async (key: string, holding: unknown, next: unknown, ttlMs: number) => {
        if (done || key !== POINTER || !when(next)) return target.replaceIfEqual(key, holding, next, ttlMs);
        done = true;
        await before();
        const answer = await target.replaceIfEqual(key, holding, next, ttlMs);
        after();
        return answer;
      };
    },
  });
}

/** A promise and what settles it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** What `scripted` does with one store call: undefined lets it through. */
type Script = (name: string, args: readonly unknown[], call: () => Promise<unknown>) => Promise<unknown> | undefined;

/** `store` with each call first offered to `script`, which may answer it itself. */
function scripted(store: KeyValueStore, script: Script): KeyValueStore {
  return new Proxy(store, {
    get: (target, name, receiver) => {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const call = (): Promise<unknown> => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        return script(String(name), args, call) ?? call();
      };
    },
  });
}

/** A store call that fails, as a store that does not answer in time reads. */
const down = (): Promise<never> => Promise.reject(new Error('store down'));

/** The code of the refusal `promise` rejects with, and its message. */
async function refusalOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error: unknown = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(GatewayError);
  return { code: (error as GatewayError).code, message: (error as GatewayError).message };
}

describe('joinRestoreSeries: the series an OnApp VM\'s restores under way share', () => {
  it('a restore reading a newer watermark joins the series under way, as its next place, counted above its watermark', async () => {
    const order = new CreateOrder(new MemoryStore());
    const first = await restore(order, 10);
    const later = await restore(order, 12);
    expect([first.newestBefore, first.place]).toEqual([10, 1]);
    expect([later.newestBefore, later.place, later.series]).toEqual([10, 2, `${GROUP}:10`]);
    first.lease.stop();
    later.lease.stop();
  });

  it('a series whose restores were all sent and are listed on the page read is left for the newer watermark; one still unlisted is joined', async () => {
    const order = new CreateOrder(new MemoryStore());
    const first = await restore(order, 10);
    first.lease.stop();
    await order.sent(first.series, first.place, 30 * 60_000, first.lease.placeValue);
    // Its transaction (11) not listed yet, a reboot (12) is: joined, counted after it above 10.
    const joined = await restore(order, 12, [{ id: 12, action: 'reboot_virtual_server' }, { id: 10, action: 'reboot_virtual_server' }]);
    expect([joined.newestBefore, joined.place]).toEqual([10, 2]);
    joined.lease.stop();
    await order.sent(joined.series, joined.place, 30 * 60_000, joined.lease.placeValue);
    // Both listed (11 and 13), above 10 on the page read: the next restore counts from its own watermark.
    const page = [{ id: 14, action: 'reboot_virtual_server' }, { id: 13, action: 'restore_backup' }, { id: 12, action: 'reboot_virtual_server' }, { id: 11, action: 'restore_backup' }, { id: 10, action: 'reboot_virtual_server' }];
    const next = await restore(order, 14, page);
    expect([next.newestBefore, next.place]).toEqual([14, 1]);
    next.lease.stop();
    await order.sent(next.series, next.place, 30 * 60_000, next.lease.placeValue);
    // Its transaction pushed off the page read by newer ones (listed, but not seen to be): joined.
    const unreached = await restore(order, 20, [{ id: 20, action: 'reboot_virtual_server' }, { id: 19, action: 'reboot_virtual_server' }]);
    expect([unreached.newestBefore, unreached.place]).toEqual([14, 2]);
    unreached.lease.stop();
  });

  it('a restore listed at or below the series\' watermark (an earlier restore\'s) is not one of the series\': a series whose own is not listed yet is joined', async () => {
    const order = new CreateOrder(new MemoryStore());
    const first = await restore(order, 10);
    first.lease.stop();
    await order.sent(first.series, first.place, 30 * 60_000, first.lease.placeValue);
    // Counted as the first's, the next restore took place 1 above 12 and read the first's transaction (13, once listed) as its own.
    for (const older of [10, 9]) {
      const joined = await restore(order, 12, [{ id: 12, action: 'reboot_virtual_server' }, { id: older, action: 'restore_backup' }]);
      expect([joined.newestBefore, joined.place], `restore ${older}`).toEqual([10, 2]);
      joined.lease.stop();
      await order.giveUp(joined.series, joined.place);
    }
  });

  it('a series with a restore still in flight is joined, whatever the page read lists', async () => {
    const order = new CreateOrder(new MemoryStore());
    const first = await restore(order, 10);
    const later = await restore(order, 12, [{ id: 12, action: 'restore_backup' }, { id: 10, action: 'reboot_virtual_server' }]);
    expect([later.newestBefore, later.place]).toEqual([10, 2]);
    first.lease.stop();
    later.lease.stop();
  });

  it('a restore joining from a newer watermark settles no uncertain place: what that one made may be what is listed since', async () => {
    const order = new CreateOrder(new MemoryStore());
    const cut = await restore(order, 10);
    cut.lease.stop();
    // Its POST failed after it may have reached OnApp, 30 minutes ago: due to settle.
    await order.keepUncertain(cut.series, cut.place, -1);
    const joined = await restore(order, 12, [{ id: 12, action: 'reboot_virtual_server' }, { id: 10, action: 'reboot_virtual_server' }]);
    expect([joined.newestBefore, joined.place]).toEqual([10, 2]);
    joined.lease.stop();
  });

  it('a series holding no place is left for the newer watermark: the restore takes place 1 of its own', async () => {
    const order = new CreateOrder(new MemoryStore());
    const refused = await restore(order, 10);
    refused.lease.stop();
    await order.giveUp(refused.series, refused.place);
    const next = await restore(order, 12);
    expect([next.newestBefore, next.place]).toEqual([12, 1]);
    // A restore still reading the older watermark joins the newer series: its transaction is above that one too.
    const stale = await restore(order, 10);
    expect([stale.newestBefore, stale.place]).toEqual([12, 2]);
    next.lease.stop();
    stale.lease.stop();
  });

  it('a move read before another restore confirmed its place in that series fails: the mover joins it as the next place', async () => {
    const memory = new MemoryStore();
    const plain = new CreateOrder(memory);
    const refused = await restore(plain, 10);
    refused.lease.stop();
    await plain.giveUp(refused.series, refused.place);
    let other: RestorePlacement | undefined;
    // Between the mover's look at the empty series and its move, another restore takes place 1 of it and confirms it.
    const racing = new CreateOrder(aroundReplace(memory, (next) => String(next).startsWith('12/'), async () => {
      other = await restore(plain, 10);
    }));
    const mover = await restore(racing, 12);
    expect([other?.newestBefore, other?.place]).toEqual([10, 1]);
    expect([mover.newestBefore, mover.place]).toEqual([10, 2]);
    other?.lease.stop();
    mover.lease.stop();
  });

  it('a take whose series moved before its confirmation gives its place up and joins the new series', async () => {
    const memory = new MemoryStore();
    const plain = new CreateOrder(memory);
    const refused = await restore(plain, 10);
    refused.lease.stop();
    await plain.giveUp(refused.series, refused.place);
    // The mover looks at series 10 (empty); the taker then takes its place 1; the mover moves the
    // series to 12; only then does the taker confirm series 10.
    const atConfirmation = signal();
    const moved = signal();
    const taking = new CreateOrder(aroundReplace(memory, (next) => String(next).startsWith('10/'), async () => {
      atConfirmation.resolve();
      await moved.promise;
    }));
    let taker: Promise<RestorePlacement> | undefined;
    const moving = new CreateOrder(aroundReplace(memory, (next) => String(next).startsWith('12/'), async () => {
      taker = restore(taking, 10);
      await atConfirmation.promise;
    }, moved.resolve));
    const mover = await restore(moving, 12);
    const took = await taker!;
    expect([mover.newestBefore, took.newestBefore]).toEqual([12, 12]);
    expect([mover.place, took.place].sort()).toEqual([1, 2]);
    // Its place 1 of series 10 was given up (deleted: no later place held).
    expect(await memory.get(`${GROUP}:10:1`)).toBeUndefined();
    mover.lease.stop();
    took.lease.stop();
  });
});

describe('joinRestoreSeries: refusals before the POST, and the counting of a series\' places', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('joins a series first named at the last of its four looks; refuses CONFLICT after four, no place held', async () => {
    for (const [missed, joins] of [[3, true], [4, false]] as const) {
      const memory = new MemoryStore();
      let starts = 0;
      // Each start finds the pointer named meanwhile (and lapsed by the next read): until the last.
      const order = new CreateOrder(scripted(memory, (name, args) => (name === 'setIfAbsent' && args[0] === POINTER && ++starts <= missed ? Promise.resolve(false) : undefined)));
      if (joins) {
        const placed = await restore(order, 10);
        expect([placed.newestBefore, placed.place]).toEqual([10, 1]);
        placed.lease.stop();
      } else {
        const refusal = await refusalOf(restore(order, 10));
        expect(refusal.code).toBe('CONFLICT');
        expect(refusal.message).toContain('nothing was sent to OnApp');
        expect(await memory.get(`${GROUP}:10:1`)).toBeUndefined();
      }
    }
  });

  it('refuses STORE_UNAVAILABLE, nothing sent, when the store does not answer at any step before the place is confirmed', async () => {
    // Each step, and whether the VM's series is named by then.
    const steps: ReadonlyArray<readonly [string, Script, boolean]> = [
      ['the pointer read', (name, args) => (name === 'get' && args[0] === POINTER ? down() : undefined), false],
      ['the series start', (name, args) => (name === 'setIfAbsent' && args[0] === POINTER ? down() : undefined), false],
      ['the lease', (name, args) => (name === 'set' && String(args[0]).includes(':lease:') ? down() : undefined), true],
      ['the place take', (name) => (name === 'getMany' ? down() : undefined), true],
    ];
    for (const [step, script, named] of steps) {
      const memory = new MemoryStore();
      const refusal = await refusalOf(restore(new CreateOrder(scripted(memory, script)), 10));
      expect([step, refusal.code]).toEqual([step, 'STORE_UNAVAILABLE']);
      expect(refusal.message).toContain('nothing was sent to OnApp');
      expect(await memory.get(`${GROUP}:10:1`)).toBeUndefined();
      expect([step, (await memory.get(POINTER)) !== undefined]).toEqual([step, named]);
    }
  });

  it('stops its lease when the take of its place is not answered', async () => {
    vi.useFakeTimers();
    const renewed: string[] = [];
    const order = new CreateOrder(scripted(new MemoryStore(), (name, args) => {
      if (name === 'extendIfPresent') renewed.push(String(args[0]));
      return name === 'getMany' ? down() : undefined;
    }));
    expect((await refusalOf(restore(order, 10))).code).toBe('STORE_UNAVAILABLE');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(renewed).toEqual([]);
  });

  it('refuses STORE_UNAVAILABLE when the confirmation of its place is not answered, and gives the place up', async () => {
    const memory = new MemoryStore();
    let reads = 0;
    const order = new CreateOrder(scripted(memory, (name, args) => (name === 'get' && args[0] === POINTER && ++reads === 2 ? down() : undefined)));
    const refusal = await refusalOf(restore(order, 10));
    expect(refusal.code).toBe('STORE_UNAVAILABLE');
    // Given up with no later place held: deleted, free for the next restore.
    expect(await memory.get(`${GROUP}:10:1`)).toBeUndefined();
    const next = await restore(new CreateOrder(memory), 10);
    expect([next.newestBefore, next.place]).toEqual([10, 1]);
    next.lease.stop();
  });

  it('refuses STORE_UNAVAILABLE when the places of an older series, or its move, are not answered', async () => {
    const memory = new MemoryStore();
    const older = await restore(new CreateOrder(memory), 10);
    older.lease.stop();
    await new CreateOrder(memory).sent(older.series, older.place, 30 * 60_000, older.lease.placeValue);
    const claims = await refusalOf(restore(new CreateOrder(scripted(memory, (name) => (name === 'getMany' ? down() : undefined))), 12));
    expect(claims.code).toBe('STORE_UNAVAILABLE');
    const listed = [{ id: 11, action: 'restore_backup' }, { id: 10, action: 'reboot_virtual_server' }];
    const moving = await refusalOf(restore(new CreateOrder(scripted(memory, (name, args) => (name === 'replaceIfEqual' && args[0] === POINTER ? down() : undefined))), 12, listed));
    expect(moving.code).toBe('STORE_UNAVAILABLE');
  });

  it('replaces a pointer naming no series (a hand edit) and starts the series of its own watermark', async () => {
    const memory = new MemoryStore();
    await memory.set(POINTER, 'not a series', 60_000);
    const placed = await restore(new CreateOrder(memory), 10);
    expect([placed.newestBefore, placed.place]).toEqual([10, 1]);
    expect(String(await memory.get(POINTER))).toMatch(/^10\//);
    placed.lease.stop();
    // Not answered while replacing it: refused.
    await memory.set(POINTER, 'not a series', 60_000);
    const refusal = await refusalOf(restore(new CreateOrder(scripted(memory, (name, args) => (name === 'replaceIfEqual' && args[0] === POINTER ? down() : undefined))), 10));
    expect(refusal.code).toBe('STORE_UNAVAILABLE');
  });

  it('counts a given-up place as having made nothing: a series of one given up and one sent is left once one restore is listed', async () => {
    const memory = new MemoryStore();
    const order = new CreateOrder(memory);
    const first = await restore(order, 10);
    const second = await restore(order, 10);
    first.lease.stop();
    second.lease.stop();
    await order.giveUp(first.series, first.place);
    await order.sent(second.series, second.place, 30 * 60_000, second.lease.placeValue);
    const next = await restore(order, 12, [{ id: 12, action: 'reboot_virtual_server' }, { id: 11, action: 'restore_backup' }, { id: 10, action: 'reboot_virtual_server' }]);
    expect([next.newestBefore, next.place]).toEqual([12, 1]);
    next.lease.stop();
  });

  it('counts every sent place: a series of two sent is joined while only one restore is listed above it', async () => {
    const memory = new MemoryStore();
    const order = new CreateOrder(memory);
    const first = await restore(order, 10);
    const second = await restore(order, 10);
    first.lease.stop();
    second.lease.stop();
    await order.sent(first.series, first.place, 30 * 60_000, first.lease.placeValue);
    await order.sent(second.series, second.place, 30 * 60_000, second.lease.placeValue);
    const next = await restore(order, 12, [{ id: 12, action: 'reboot_virtual_server' }, { id: 11, action: 'restore_backup' }, { id: 10, action: 'reboot_virtual_server' }]);
    expect([next.newestBefore, next.place]).toEqual([10, 3]);
    next.lease.stop();
  });

  it('a series whose last place is given up while this restore joins it is left: the restore starts its own series', async () => {
    const memory = new MemoryStore();
    const plain = new CreateOrder(memory);
    const earlier = await restore(plain, 10);
    let gaveUp = false;
    // Read as in flight, the place is given up as the later restore opens its lease to join series 10.
    const order = new CreateOrder(scripted(memory, (name, args) => {
      if (gaveUp || name !== 'set' || !String(args[0]).startsWith(`${GROUP}:10:lease:`) || String(args[0]).endsWith(earlier.lease.holder)) return undefined;
      gaveUp = true;
      earlier.lease.stop();
      return plain.giveUp(earlier.series, earlier.place).then(() => undefined);
    }));
    const later = await restore(order, 12);
    expect(gaveUp).toBe(true);
    expect([later.newestBefore, later.place, later.series]).toEqual([12, 1, `${GROUP}:12`]);
    expect(await memory.get(`${GROUP}:10:1`)).toBeUndefined();
    later.lease.stop();
  });

  it('refuses STORE_UNAVAILABLE when the move off a series found empty as it joined is not answered', async () => {
    const memory = new MemoryStore();
    const plain = new CreateOrder(memory);
    const earlier = await restore(plain, 10);
    let gaveUp = false;
    let movesFailed = 0;
    const order = new CreateOrder(scripted(memory, (name, args) => {
      if (name === 'replaceIfEqual' && args[0] === POINTER && gaveUp && movesFailed === 0) {
        movesFailed += 1;
        return down();
      }
      if (gaveUp || name !== 'set' || !String(args[0]).startsWith(`${GROUP}:10:lease:`) || String(args[0]).endsWith(earlier.lease.holder)) return undefined;
      gaveUp = true;
      earlier.lease.stop();
      return plain.giveUp(earlier.series, earlier.place).then(() => undefined);
    }));
    const refusal = await refusalOf(restore(order, 12));
    expect([refusal.code, movesFailed]).toEqual(['STORE_UNAVAILABLE', 1]);
  });

  it('keeps renewing the lease of the place it took, until the caller stops it', async () => {
    vi.useFakeTimers();
    const renewed: string[] = [];
    const order = new CreateOrder(scripted(new MemoryStore(), (name, args) => {
      if (name === 'extendIfPresent') renewed.push(String(args[0]));
      return undefined;
    }));
    const placed = await restore(order, 10);
    await vi.advanceTimersByTimeAsync(13_000);
    expect(renewed.length).toBeGreaterThanOrEqual(3);
    expect(renewed.every((key) => key === `${GROUP}:10:lease:${placed.lease.holder}`)).toBe(true);
    placed.lease.stop();
    const before = renewed.length;
    await vi.advanceTimersByTimeAsync(13_000);
    expect(renewed.length).toBe(before);
  });

  it('a restore of the series\' own watermark settles an uncertain place that is due, and takes it', async () => {
    const order = new CreateOrder(new MemoryStore());
    const cut = await restore(order, 10);
    cut.lease.stop();
    await order.keepUncertain(cut.series, cut.place, -1);
    const again = await restore(order, 10);
    expect([again.newestBefore, again.place]).toEqual([10, 1]);
    again.lease.stop();
  });

  it('refuses CONFLICT once the series holds 32 places, naming the count and the 30 minutes, and stops its lease', async () => {
    const memory = new MemoryStore();
    const order = new CreateOrder(memory);
    const held: RestorePlacement[] = [];
    for (let index = 0; index < 32; index += 1) held.push(await restore(order, 10));
    expect(held.at(-1)?.place).toBe(32);
    vi.useFakeTimers();
    const renewed: string[] = [];
    const watched = new CreateOrder(scripted(memory, (name, args) => {
      if (name === 'extendIfPresent') renewed.push(String(args[0]));
      return undefined;
    }));
    for (const placed of held) placed.lease.stop();
    const refusal = await refusalOf(restore(watched, 10));
    expect(refusal.code).toBe('CONFLICT');
    expect(refusal.message).toContain('32 restores of this virtual server are being asked already');
    expect(refusal.message).toContain('once the last one\'s 30 minutes have passed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(renewed).toEqual([]);
  });
});
