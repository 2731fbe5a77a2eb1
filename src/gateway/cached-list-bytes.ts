/**
 * What one cached list holds in the heap, estimated from its length alone: the read cache's
 * byte bound (`limits.readCacheMaxBytes`) counts this, so filling the cache costs one
 * multiplication per list, and a warm read nothing (the size is taken once, when the list is set).
 *
 * Measured (`node --expose-gc --import tsx bench/cache-entry-bytes.ts`: each list the cache is
 * handed by the four simulators, copied until some 100,000 records are held, heap after a full
 * GC): bytes per record by list kind, the largest provider's rounded up, so an account of smaller
 * records is over-counted (Zomro's, OnApp's and Danube's backups hold 1.1-1.25 KB) rather than a
 * larger one under-counted. The `raw` record the provider sent is most of it: an account whose
 * provider sends far longer records than the simulators holds more than this says.
 */
const RECORD_BYTES: Readonly<Record<string, number>> = {
  /** ZStack 2,213 (its raw record carries the backup's storage refs); Zomro 1,247; OnApp 1,114; Danube 1,120. */
  backups: 2_300,
  /** Danube 1,404 (a definition carries its schedule). */
  definitions: 1_450,
  /** ZStack 940; Zomro 580; Danube 534; OnApp 463. */
  instances: 950,
  /** OnApp 894; Zomro 843; Danube 692. */
  schedules: 900,
};

/** The most any kind's record was measured to hold: a kind not in the table counts this. */
const LARGEST_RECORD_BYTES = Math.max(...Object.values(RECORD_BYTES));

/** An entry with no records: its key, the store's wrapper and lru-cache's slot (measured 224 bytes). */
export const CACHED_ENTRY_BYTES = 256;

/** The estimated heap bytes of a cached list of `kind` (`value` is what the store is handed). */
export function cachedListBytes(kind: string, value: unknown): number {
  const records = Array.isArray(value) ? value.length : 1;
  return CACHED_ENTRY_BYTES + records * (RECORD_BYTES[kind] ?? LARGEST_RECORD_BYTES);
}
