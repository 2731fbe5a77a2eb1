import { getEventListeners } from 'node:events';
import { BulkheadRejectedError } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { FlightSignal } from '../../src/upstream/flight-signal.js';
import { FlightTurns } from '../../src/upstream/flight-turns.js';
import { Slots } from '../../src/upstream/slots.js';
import { turnWithin } from '../../src/upstream/turn-within.js';

class Cancelled extends Error {}

const settledNow = async <T>(promise: Promise<T>): Promise<'resolved' | 'rejected' | 'pending'> => {
  let state: 'resolved' | 'rejected' | 'pending' = 'pending';
  promise.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  // Two turns of the microtask queue: enough for an already-settled promise's handlers.
  await Promise.resolve();
  await Promise.resolve();
  return state;
};

describe('Slots (the per-account cap on upstream requests in flight)', () => {
  it('grants up to its capacity at once, then queues in order, handing each released slot to the next waiter', async () => {
    const slots = new Slots(2, 10, () => new Cancelled());
    expect(await settledNow(slots.acquire(undefined))).toBe('resolved');
    expect(await settledNow(slots.acquire(undefined))).toBe('resolved');
    const order: string[] = [];
    const third = slots.acquire(undefined).then(() => order.push('third'));
    const fourth = slots.acquire(undefined).then(() => order.push('fourth'));
    expect(slots.waiting).toBe(2);
    expect(await settledNow(third)).toBe('pending');
    slots.release();
    await third;
    expect(order).toEqual(['third']);
    expect(slots.waiting).toBe(1);
    slots.release();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
    expect(slots.waiting).toBe(0);
  });

  it('frees a slot when nobody waits: the next request gets one at once', async () => {
    const slots = new Slots(1, 10, () => new Cancelled());
    await slots.acquire(undefined);
    slots.release();
    expect(await settledNow(slots.acquire(undefined))).toBe('resolved');
    expect(await settledNow(slots.acquire(undefined))).toBe('pending');
  });

  it('refuses a request beyond the queue as the bulkhead error the policy reports as overloaded', async () => {
    const slots = new Slots(1, 1, () => new Cancelled());
    await slots.acquire(undefined);
    void slots.acquire(undefined);
    await expect(slots.acquire(undefined)).rejects.toBeInstanceOf(BulkheadRejectedError);
    expect(slots.waiting).toBe(1);
  });

  it('lets a waiter whose request ended leave the queue at once, and the next one moves up', async () => {
    const slots = new Slots(1, 10, () => new Cancelled());
    await slots.acquire(undefined);
    const leaving = new AbortController();
    const left = slots.acquire(leaving.signal);
    const next = slots.acquire(undefined);
    leaving.abort();
    await expect(left).rejects.toBeInstanceOf(Cancelled);
    expect(slots.waiting).toBe(1);
    slots.release();
    expect(await settledNow(next)).toBe('resolved');
  });

  it('refuses a request that has already ended without taking a slot', async () => {
    const slots = new Slots(1, 10, () => new Cancelled());
    const ended = new AbortController();
    ended.abort();
    await expect(slots.acquire(ended.signal)).rejects.toBeInstanceOf(Cancelled);
    expect(await settledNow(slots.acquire(undefined))).toBe('resolved');
  });

  it('stops listening to a waiter once it holds its slot (a request keeps no listener per read it made)', async () => {
    const slots = new Slots(1, 10, () => new Cancelled());
    await slots.acquire(undefined);
    const request = new AbortController();
    const granted = slots.acquire(request.signal);
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(1);
    slots.release();
    await granted;
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0);
  });
});

describe('Slots: clients take turns', () => {
  /** Releases the one slot `times` times, letting each new holder's continuation run before the next. */
  const releaseTimes = async (slots: Slots, times: number) => {
    for (let turn = 0; turn < times; turn += 1) {
      slots.release();
      await Promise.resolve();
      await Promise.resolve();
    }
  };

  it("hands freed slots to each client in turn: one client's many waiters do not all go before another's one", async () => {
    const slots = new Slots(1, 100, () => new Cancelled());
    await slots.acquire(undefined, 'flooder');
    const order: string[] = [];
    const waiting = [
      ...Array.from({ length: 4 }, (_, index) => slots.acquire(undefined, 'flooder').then(() => order.push(`flooder ${index}`))),
      slots.acquire(undefined, 'bystander').then(() => order.push('bystander')),
      ...Array.from({ length: 2 }, (_, index) => slots.acquire(undefined, undefined).then(() => order.push(`internal ${index}`))),
      slots.acquire(undefined, 'late').then(() => order.push('late')),
    ];
    await releaseTimes(slots, waiting.length);
    await Promise.all(waiting);
    expect(order).toEqual(['flooder 0', 'bystander', 'internal 0', 'late', 'flooder 1', 'internal 1', 'flooder 2', 'flooder 3']);
    expect(slots.waiting).toBe(0);
  });

  it("keeps one client's waiters in arrival order, however many of its requests they serve", async () => {
    const slots = new Slots(1, 100, () => new Cancelled());
    await slots.acquire(undefined, 'dashboards');
    const order: number[] = [];
    const waiting = Array.from({ length: 6 }, (_, index) => slots.acquire(undefined, 'dashboards').then(() => order.push(index)));
    await releaseTimes(slots, waiting.length);
    await Promise.all(waiting);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("lets a leaving waiter out of its client's line, and a client whose line emptied loses its place in the turn", async () => {
    const slots = new Slots(1, 100, () => new Cancelled());
    await slots.acquire(undefined, 'a');
    const order: string[] = [];
    const leaving = new AbortController();
    const left = slots.acquire(leaving.signal, 'b');
    const a = slots.acquire(undefined, 'a').then(() => order.push('a'));
    const c = slots.acquire(undefined, 'c').then(() => order.push('c'));
    leaving.abort();
    await expect(left).rejects.toBeInstanceOf(Cancelled);
    expect(slots.waiting).toBe(2);
    const b = slots.acquire(undefined, 'b').then(() => order.push('b'));
    await releaseTimes(slots, 3);
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a', 'c', 'b']);
  });

  it("counts every client's waiters toward the one queue limit", async () => {
    const slots = new Slots(1, 2, () => new Cancelled());
    await slots.acquire(undefined, 'a');
    void slots.acquire(undefined, 'b');
    void slots.acquire(undefined, 'c');
    await expect(slots.acquire(undefined, 'd')).rejects.toBeInstanceOf(BulkheadRejectedError);
    await expect(slots.acquire(undefined, 'b')).rejects.toBeInstanceOf(BulkheadRejectedError);
    expect(slots.waiting).toBe(2);
  });

  it('frees every slot once each holder has released, whichever turns they came through', async () => {
    const slots = new Slots(2, 100, () => new Cancelled());
    await slots.acquire(undefined, 'a');
    await slots.acquire(undefined, 'b');
    const waiting = [slots.acquire(undefined, 'a'), slots.acquire(undefined, 'b'), slots.acquire(undefined, undefined)];
    await releaseTimes(slots, 3);
    await Promise.all(waiting);
    expect(slots.waiting).toBe(0);
    // Two holders left: released, both slots are free again, and a third request waits.
    slots.release();
    slots.release();
    expect(await settledNow(slots.acquire(undefined, 'c'))).toBe('resolved');
    expect(await settledNow(slots.acquire(undefined, 'd'))).toBe('resolved');
    expect(await settledNow(slots.acquire(undefined, 'e'))).toBe('pending');
  });
});

describe('Slots: a coalesced read waits in the turn of each client it is for', () => {
  const releaseTimes = async (slots: Slots, times: number) => {
    for (let turn = 0; turn < times; turn += 1) {
      slots.release();
      await Promise.resolve();
      await Promise.resolve();
    }
  };

  it("goes out in the turn of a client that joined it while it waited, not after its starter's earlier waiters", async () => {
    const slots = new Slots(1, 100, () => new Cancelled());
    await slots.acquire(undefined, 'flooder');
    const order: string[] = [];
    const flooders = Array.from({ length: 3 }, (_, index) => slots.acquire(undefined, 'flooder').then(() => order.push(`flooder ${index}`)));
    const turns = new FlightTurns('flooder');
    const shared = slots.acquire(undefined, turns).then(() => order.push('shared'));
    turns.add('bystander');
    await releaseTimes(slots, 4);
    await Promise.all([...flooders, shared]);
    expect(order).toEqual(['flooder 0', 'shared', 'flooder 1', 'flooder 2']);
    expect(slots.waiting).toBe(0);
  });

  it('counts a read in several lines as one waiter, and takes it out of every line once served or gone', async () => {
    const slots = new Slots(1, 100, () => new Cancelled());
    await slots.acquire(undefined, 'a');
    const turns = new FlightTurns('a');
    turns.add('b');
    const leaving = new AbortController();
    const left = slots.acquire(leaving.signal, turns);
    turns.add('c');
    turns.add('b');
    expect(slots.waiting).toBe(1);
    leaving.abort();
    await expect(left).rejects.toBeInstanceOf(Cancelled);
    expect(slots.waiting).toBe(0);
    // Gone from every line: the next release frees the slot, and a join after it changes nothing.
    turns.add('d');
    slots.release();
    expect(await settledNow(slots.acquire(undefined, 'e'))).toBe('resolved');
    const served = new FlightTurns('x');
    const read = slots.acquire(undefined, served);
    served.add('y');
    const after = slots.acquire(undefined, 'y');
    await releaseTimes(slots, 1);
    expect(await settledNow(read)).toBe('resolved');
    served.add('z');
    expect(slots.waiting).toBe(1);
    await releaseTimes(slots, 1);
    expect(await settledNow(after)).toBe('resolved');
    expect(slots.waiting).toBe(0);
  });

  it("gives a group's members one turn at the top level, in turn within it, each member's calls in arrival order", async () => {
    const slots = new Slots(1, 100, () => new Cancelled());
    await slots.acquire(undefined, 'keyed');
    const order: string[] = [];
    const waiting = [
      ...['a', 'a', 'b', 'b', 'c'].map((member, index) => slots.acquire(undefined, turnWithin('site', member)).then(() => order.push(`${member} ${index}`))),
      ...[5, 6, 7].map((index) => slots.acquire(undefined, 'keyed').then(() => order.push(`keyed ${index}`))),
    ];
    await releaseTimes(slots, waiting.length);
    await Promise.all(waiting);
    expect(order).toEqual(['a 0', 'keyed 5', 'b 2', 'keyed 6', 'c 4', 'keyed 7', 'a 1', 'b 3']);
    expect(slots.waiting).toBe(0);
  });

  it('keeps groups apart: each takes its own turn, and a member named alike in another group is another line', async () => {
    const slots = new Slots(1, 100, () => new Cancelled());
    await slots.acquire(undefined, 'a');
    const order: string[] = [];
    const waiting = [
      ...[0, 1, 2].map((index) => slots.acquire(undefined, turnWithin('one', `member ${index}`)).then(() => order.push(`one ${index}`))),
      slots.acquire(undefined, turnWithin('two', 'member 0')).then(() => order.push('two 0')),
      slots.acquire(undefined, turnWithin('one', 'member 0')).then(() => order.push('one 3')),
    ];
    await releaseTimes(slots, waiting.length);
    await Promise.all(waiting);
    expect(order).toEqual(['one 0', 'two 0', 'one 1', 'one 2', 'one 3']);
  });

  it('lets a leaving member out of its group, and a group whose members all left loses its place in the turn', async () => {
    const slots = new Slots(1, 100, () => new Cancelled());
    await slots.acquire(undefined, 'a');
    const order: string[] = [];
    const leaving = new AbortController();
    const left = slots.acquire(leaving.signal, turnWithin('site', 'x'));
    const a = slots.acquire(undefined, 'a').then(() => order.push('a'));
    const c = slots.acquire(undefined, 'c').then(() => order.push('c'));
    leaving.abort();
    await expect(left).rejects.toBeInstanceOf(Cancelled);
    expect(slots.waiting).toBe(2);
    const y = slots.acquire(undefined, turnWithin('site', 'y')).then(() => order.push('y'));
    await releaseTimes(slots, 3);
    await Promise.all([a, c, y]);
    expect(order).toEqual(['a', 'c', 'y']);
    expect(slots.waiting).toBe(0);
  });

  it("sends a coalesced read of two members of one group once, in whichever member's turn comes first, and out of the other's line", async () => {
    const slots = new Slots(1, 100, () => new Cancelled());
    await slots.acquire(undefined, 'keyed');
    const order: string[] = [];
    const flooders = [0, 1].map((index) => slots.acquire(undefined, turnWithin('site', 'x')).then(() => order.push(`x ${index}`)));
    const turns = new FlightTurns(turnWithin('site', 'x'));
    const shared = slots.acquire(undefined, turns).then(() => order.push('shared'));
    turns.add(turnWithin('site', 'y'));
    turns.add('keyed');
    const keyed = slots.acquire(undefined, 'keyed').then(() => order.push('keyed'));
    expect(slots.waiting).toBe(4);
    await releaseTimes(slots, 4);
    await Promise.all([...flooders, shared, keyed]);
    // The site's turn serves x's first, the keyed client's the shared read, the site's next (y's) no copy of it.
    expect(order).toEqual(['x 0', 'shared', 'x 1', 'keyed']);
    expect(slots.waiting).toBe(0);
  });
});

describe('FlightSignal (the minimal abort signal of a coalesced read)', () => {
  it('calls each listener once with the reason set, then lets them go; a second abort changes nothing', () => {
    const signal = new FlightSignal();
    const heard: unknown[] = [];
    signal.addEventListener('abort', () => heard.push(['first', signal.reason]));
    signal.addEventListener('abort', () => heard.push(['second', signal.aborted]));
    const reason = new Error('last waiter left');
    signal.abort(reason);
    expect(heard).toEqual([
      ['first', reason],
      ['second', true],
    ]);
    signal.abort(new Error('again'));
    expect(heard).toHaveLength(2);
    expect(signal.reason).toBe(reason);
  });

  it('does not call a listener that was removed, and removing an unknown one is harmless', () => {
    const signal = new FlightSignal();
    const heard: string[] = [];
    const removed = () => heard.push('removed');
    const kept = () => heard.push('kept');
    signal.removeEventListener('abort', kept);
    signal.addEventListener('abort', removed);
    signal.addEventListener('abort', kept);
    signal.removeEventListener('abort', removed);
    signal.removeEventListener('abort', () => heard.push('never added'));
    signal.abort(new Error('stop'));
    expect(heard).toEqual(['kept']);
  });

  it('starts neither aborted nor with a reason', () => {
    const signal = new FlightSignal().asAbortSignal();
    expect(signal.aborted).toBe(false);
    expect(signal.reason).toBeUndefined();
  });
});
