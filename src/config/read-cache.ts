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
 * `limits.readCacheMaxBytes` when the config says nothing: 64 MiB of estimated lists, some 28,000
 * backups as estimated (ZStack's, the largest measured; twice as many of the others). Beside the
 * peak under 16 dashboards (~145 MiB) it is small; the Deployment's limit (1 GiB) is set by the
 * answer-bytes budget's worst case, which peaked at 480-545 MiB under 16 answers of 31 MiB from
 * one account (docs/production-measurements.md) and allows one answer more per account reading.
 */
export const READ_CACHE_MAX_BYTES_DEFAULT = 64 * 1024 * 1024;
