import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/state/memory-store.js';
import { growingLru } from '../../src/state/growing-lru.js';

const MiB = 1024 * 1024;
/** The JS heap and the typed arrays' buffers: where an LRU's preallocated arrays would land. */
const allocated = () => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

describe('growingLru', () => {
  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = growingLru<string, number>(3);
    for (const key of ['a', 'b', 'c']) cache.set(key, 1);
    cache.get('a');
    cache.set('d', 1);
    expect([...cache.keys()].sort()).toEqual(['a', 'c', 'd']);
    expect(cache.size).toBe(3);
  });

  it('honours a per-entry TTL', async () => {
    const cache = growingLru<string, number>(10, { ttl: 1 });
    cache.set('a', 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(cache.get('a')).toBeUndefined();
  });

  it('takes memory as it fills, not for maxEntries up front: ten idle stores of 100,000 cost well under 2 MiB', async () => {
    const before = allocated();
    const stores = Array.from({ length: 10 }, () => new MemoryStore(100_000));
    // A TTL'd set, as the gateway's caches make: lru-cache's TTL arrays are made on the first.
    await Promise.all(stores.map((store) => store.set('k', 1, 60_000)));
    expect((allocated() - before) / MiB).toBeLessThan(2);
    expect(await stores[0]?.get('k')).toBe(1);
  });
});
