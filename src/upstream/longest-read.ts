import { UPSTREAM_DEFAULTS, type UpstreamPolicyOptions } from './defaults.js';

/** What of an account's upstream policy bounds how long its requests take. */
export type RequestTimePolicy = Pick<UpstreamPolicyOptions, 'timeoutMs' | 'retries' | 'retryMaxDelayMs' | 'maxConcurrency'>;

/**
 * The longest one provider read takes while the provider is slow but answering: every attempt
 * times out, and each retry waits the longest backoff (at the defaults 10 s × 3 + 5 s × 2 = 40 s).
 */
export const longestReadMs = (policy: RequestTimePolicy): number => policy.timeoutMs * (policy.retries + 1) + policy.retryMaxDelayMs * policy.retries;

/** Reads one after another in the deepest request (a dashboard: instances, then each one's backups and schedules). */
const READ_ROUNDS = 3;

/** The most instances a createBackups names at limits.maxBulkInstances' default. */
export const DEFAULT_BULK_INSTANCES = 100;

/** A createBackups of `instances` on one account: waves of maxConcurrency unretried writes, after a look-up's read. */
const bulkWriteMs = (policy: RequestTimePolicy, instances: number): number => Math.ceil(instances / policy.maxConcurrency) * policy.timeoutMs + longestReadMs(policy);

/** Room above the longest for a large answer scrubbed in turns and a store's 5 s command timeouts. */
const MARGIN_MS = 60_000;

/**
 * The least answer deadline that answers no healthy request to an account of this policy as lost:
 * the longer of 3 rounds of reads and a createBackups of `bulkInstances` (limits.maxBulkInstances),
 * with the margin.
 */
export const leastAnswerDeadlineMs = (policy: RequestTimePolicy, bulkInstances: number): number =>
  Math.max(READ_ROUNDS * longestReadMs(policy), bulkWriteMs(policy, bulkInstances)) + MARGIN_MS;

/**
 * `limits.answerDeadlineMs`' default, 180 s: past the longest a healthy request takes at the
 * default upstream policy (3 rounds of reads, 120 s; a 100-instance createBackups, 110 s) with a
 * margin. An account whose `timeoutMs` or `retries` are raised needs the deadline raised with them:
 * src/config/derived-answer-deadline.ts does so when the file leaves the key out, and
 * src/config/short-answer-deadline.ts warns when the file writes one too short.
 */
export const ANSWER_DEADLINE_DEFAULT_MS = leastAnswerDeadlineMs(UPSTREAM_DEFAULTS, DEFAULT_BULK_INSTANCES);
