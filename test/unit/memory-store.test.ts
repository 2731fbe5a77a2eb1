import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/state/memory-store.js';

/** A clock the test moves: entries age without the test waiting. */
function manualClock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('MemoryStore (the in-process store of the read cache and the idempotency records)', () => {
  it('forgets an entry once its TTL has passed, for every way of reading and writing it', async () => {
    const clock = manualClock();
    const store = new MemoryStore(100, clock);
    await store.set('single', 's', 1_000);
    await store.setMany([
      { key: 'short', value: 'a', ttlMs: 1_000 },
      { key: 'long', value: 'b', ttlMs: 5_000 },
    ]);
    expect(await store.setIfAbsent('claim', 'c', 1_000)).toBe(true);

    clock.advance(999);
    expect(await store.get('single')).toBe('s');
    expect(await store.getMany(['short', 'long'])).toEqual(['a', 'b']);
    expect(store.peek('claim')).toBe('c');

    clock.advance(2);
    expect(await store.get('single')).toBeUndefined();
    expect(await store.getMany(['short', 'long'])).toEqual([undefined, 'b']);
    expect(store.peek('claim')).toBeUndefined();
    // An expired claim no longer holds its key: the next caller takes it.
    expect(await store.setIfAbsent('claim', 'd', 1_000)).toBe(true);
    expect(store.peek('claim')).toBe('d');

    clock.advance(4_000);
    expect(store.peek('long')).toBeUndefined();
  });

  it('keeps the first claim on a key while it lives', async () => {
    const store = new MemoryStore(100, manualClock());
    expect(await store.setIfAbsent('k', 1, 60_000)).toBe(true);
    expect(await store.setIfAbsent('k', 2, 60_000)).toBe(false);
    expect(await store.get('k')).toBe(1);
  });

  it('keeps a namespace apart: it ages by the same clock, and filling it evicts nothing of its parent', async () => {
    const clock = manualClock();
    const store = new MemoryStore(100, clock);
    const records = store.namespace('idempotency', { maxEntries: 2 });
    await store.set('shared-key', 'parent', 10_000);
    await records.set('shared-key', 'child', 1_000);
    for (const key of ['r1', 'r2', 'r3']) await records.set(key, key, 10_000);
    expect(await store.get('shared-key')).toBe('parent');
    expect(await records.getMany(['shared-key', 'r1', 'r2', 'r3'])).toEqual([undefined, undefined, 'r2', 'r3']);
    clock.advance(10_001);
    expect(await records.get('r3')).toBeUndefined();
  });

  it('deletes a key unless its guard is held, and says whether it did', async () => {
    const store = new MemoryStore();
    await store.set('place:1', 'given-up', 60_000);
    await store.set('place:2', 'taken', 60_000);
    expect(await store.deleteUnlessHeld('place:1', 'place:2', 'given-up')).toBe(false);
    expect(await store.get('place:1')).toBe('given-up');
    await store.delete('place:2');
    expect(await store.deleteUnlessHeld('place:1', 'place:2', 'given-up')).toBe(true);
    expect(await store.get('place:1')).toBeUndefined();
    expect(await store.deleteUnlessHeld('place:1', 'place:2', 'given-up')).toBe(false);
  });

  it('takes a place above another only while the key is free and the one below is held, for the TTL given (setIfAbsentAbove)', async () => {
    const clock = manualClock();
    const store = new MemoryStore(100, clock);
    expect(await store.setIfAbsentAbove('place:2', 'place:1', 'taken:mine', 60_000)).toBe(false);
    expect(await store.get('place:2')).toBeUndefined();
    await store.set('place:1', 'taken:other', 60_000);
    expect(await store.setIfAbsentAbove('place:2', 'place:1', 'taken:mine', 1_000)).toBe(true);
    expect(await store.setIfAbsentAbove('place:2', 'place:1', 'taken:third', 60_000)).toBe(false);
    expect(await store.get('place:2')).toBe('taken:mine');
    clock.advance(1_001);
    expect(await store.get('place:2')).toBeUndefined();
    // The place below freed (given up, its TTL out): the place above it is no longer taken.
    await store.delete('place:1');
    expect(await store.setIfAbsentAbove('place:2', 'place:1', 'taken:late', 60_000)).toBe(false);
    expect(await store.get('place:2')).toBeUndefined();
  });

  it('deletes what it is told to, and holds nothing (its namespaces included) once closed', async () => {
    const store = new MemoryStore(100, manualClock());
    const records = store.namespace('idempotency', { maxEntries: 10 });
    await store.setMany(['a', 'b', 'c'].map((key) => ({ key, value: key, ttlMs: 60_000 })));
    await records.set('r', 'r', 60_000);
    await store.delete('a');
    await store.deleteMany(['b']);
    expect(await store.getMany(['a', 'b', 'c'])).toEqual([undefined, undefined, 'c']);
    await store.close();
    expect(await store.get('c')).toBeUndefined();
    expect(await records.get('r')).toBeUndefined();
  });
});
