/**
 * The cross-request read cache's settings: per account `cacheTtlMs` in the
 * provider entry (0 keeps it off), and `limits.readCacheMaxEntries` per store.
 */
export const READ_CACHE_DEFAULTS = {
  /** How long a provider read is served from the cache; 0 turns it off. */
  cacheTtlMs: 0,
} as const;
