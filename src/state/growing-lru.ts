import { LRUCache } from 'lru-cache';

type GrowingOptions<K extends {}, V extends {}> = Omit<LRUCache.Options<K, V, unknown>, 'max' | 'maxSize' | 'sizeCalculation' | 'maxEntrySize'>;

/**
 * An LRU of at most `maxEntries` entries that takes memory as it fills.
 * lru-cache given `max` allocates its arrays for all of them at once: 2.8 MB
 * at 100,000, 4.4 MB with TTLs, resident from start-up for caches that
 * mostly stay small. Counted as a size of 1 each under `maxSize`, it keeps
 * the same bound and grows instead.
 */
export function growingLru<K extends {}, V extends {}>(maxEntries: number, options: GrowingOptions<K, V> = {}): LRUCache<K, V> {
  return new LRUCache<K, V>({ ...options, maxSize: maxEntries, sizeCalculation: () => 1 });
}

/**
 * The same growth, bounded by bytes instead: at most `maxBytes` of entries as each set is told
 * its `size`, one not told counting `leastBytes`. An entry larger than `maxBytes` is not kept.
 */
export function growingLruOfBytes<K extends {}, V extends {}>(maxBytes: number, leastBytes: number, options: GrowingOptions<K, V> = {}): LRUCache<K, V> {
  return new LRUCache<K, V>({ ...options, maxSize: maxBytes, sizeCalculation: () => leastBytes });
}
