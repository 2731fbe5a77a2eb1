/**
 * The cross-request read cache's settings: per account `cacheTtlMs` in the
 * provider entry (0 keeps it off), and `limits.readCacheMaxEntries` and
 * `limits.readCacheMaxBytes` for the in-memory store.
 */
export const READ_CACHE_DEFAULTS = {
  /** How long a provider read is served from the cache; 0 turns it off. */
  cacheTtlMs: 0,
} as const;

/**
 * `limits.readCacheMaxBytes` when the config says nothing: 64 MiB of estimated lists. The
 * Deployment's 512 MiB limit holds the process's peak under 16 dashboards (~145 MiB), the
 * answer-bytes budget and one answer (128 + 32 MiB) and this, with ~140 MiB to spare; some
 * 28,000 backups as estimated (ZStack's, the largest measured; twice as many of the others).
 */
export const READ_CACHE_MAX_BYTES_DEFAULT = 64 * 1024 * 1024;
