import { UPSTREAM_DEFAULTS } from './defaults.js';

/**
 * The longest one provider read takes at the default upstream policy while the provider is slow
 * but answering: every attempt times out, and each retry waits the longest backoff
 * (10 s × 3 + 5 s × 2 = 40 s).
 */
export const LONGEST_READ_MS = UPSTREAM_DEFAULTS.timeoutMs * (UPSTREAM_DEFAULTS.retries + 1) + UPSTREAM_DEFAULTS.retryMaxDelayMs * UPSTREAM_DEFAULTS.retries;

/** Reads one after another in the deepest request (a dashboard: instances, then each one's backups and schedules). */
const READ_ROUNDS = 3;

/** The most instances a createBackups names (limits.maxBulkInstances' default)... */
const BULK_INSTANCES = 100;
/** ...and one account's writes at once (maxConcurrency's default): 7 waves of unretried writes, after a look-up's read. */
const BULK_WRITE_MS = Math.ceil(BULK_INSTANCES / UPSTREAM_DEFAULTS.maxConcurrency) * UPSTREAM_DEFAULTS.timeoutMs + LONGEST_READ_MS;

/** Room above the longest for a large answer scrubbed in turns and a store's 5 s command timeouts. */
const MARGIN_MS = 60_000;

/**
 * `limits.answerDeadlineMs`' default, 180 s: past the longest a healthy request takes at the
 * default upstream policy (3 rounds of reads, 120 s; a 100-instance createBackups, 110 s) with a
 * margin. An account whose `timeoutMs` or `retries` are raised needs the deadline raised with them.
 */
export const ANSWER_DEADLINE_DEFAULT_MS = Math.max(READ_ROUNDS * LONGEST_READ_MS, BULK_WRITE_MS) + MARGIN_MS;
