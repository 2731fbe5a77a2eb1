import { describe, expect, it } from 'vitest';
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
