import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/state/memory-store.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const HOUR = 3_600_000;

/** `count` entries told `bytes` each, keyed `k0`, `k1`, ...: what the read cache's setMany hands its store. */
const large = (count: number, bytes: number, from = 0) => Array.from({ length: count }, (_, index) => ({ key: `k${from + index}`, value: [index], ttlMs: HOUR, bytes }));

describe('a memory namespace bounded by bytes (the read cache: limits.readCacheMaxBytes)', () => {
  it('holds large entries only up to the byte bound, the least recently used going first', async () => {
    const store = new MemoryStore().namespace('cache', { maxEntries: 100_000, maxBytes: 1 * MiB });
    // Forty lists of 100 KiB: within 100,000 entries all forty were held, 4 MiB against a 1 MiB bound.
    await store.setMany(large(40, 100 * KiB));
    const held = (await store.getMany(large(40, 0).map(({ key }) => key))).filter((value) => value !== undefined);
    expect(held).toHaveLength(10);
    expect(store.heldBytes?.()).toBeLessThanOrEqual(1 * MiB);
    expect(await store.get('k0')).toBeUndefined();
    expect(await store.get('k39')).toEqual([39]);
  });

  it('still keeps its entry bound: an entry counts at least maxBytes / maxEntries', async () => {
    const store = new MemoryStore().namespace('cache', { maxEntries: 128, maxBytes: 1 * MiB });
    await store.setMany(large(200, 10));
    await store.set('told-nothing', 'x', HOUR);
    const keys = [...large(200, 0).map(({ key }) => key), 'told-nothing'];
    expect((await store.getMany(keys)).filter((value) => value !== undefined)).toHaveLength(128);
    expect(store.peek?.('told-nothing')).toBe('x');
    expect(store.heldBytes?.()).toBe(1 * MiB);
  });

  it('keeps no entry larger than the whole bound, and drops nothing for it', async () => {
    const store = new MemoryStore().namespace('cache', { maxEntries: 1_000, maxBytes: 1 * MiB });
    await store.setMany(large(2, 100 * KiB));
    await store.setMany([{ key: 'huge', value: ['h'], ttlMs: HOUR, bytes: 2 * MiB }]);
    expect(await store.getMany(['k0', 'k1', 'huge'])).toEqual([[0], [1], undefined]);
  });

  it('an entry given a longer life keeps its size', async () => {
    const store = new MemoryStore().namespace('cache', { maxEntries: 1_000, maxBytes: 1 * MiB });
    await store.setMany(large(1, 300 * KiB));
    const before = store.heldBytes?.();
    expect(await store.extendIfPresent('k0', 2 * HOUR)).toBe(true);
    expect(store.heldBytes?.()).toBe(before);
    expect(before).toBe(300 * KiB);
  });

  it('a namespace without a byte bound counts entries as before, whatever bytes it is told', async () => {
    const store = new MemoryStore().namespace('idem', { maxEntries: 5 });
    await store.setMany(large(5, 10 * MiB));
    expect((await store.getMany(large(5, 0).map(({ key }) => key))).filter((value) => value !== undefined)).toHaveLength(5);
    expect(store.heldBytes?.()).toBe(0);
  });
});
