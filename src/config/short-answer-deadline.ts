import { policyOptionsOf } from '../upstream/defaults.js';
import { leastAnswerDeadlineMs } from '../upstream/longest-read.js';
import type { GatewayConfig } from './schema.js';

/** An account whose healthy requests may outlast limits.answerDeadlineMs. */
export interface ShortAnswerDeadline {
  /** The account's `id`. */
  provider: string;
  /** Its upstream settings that set how long a request to it may take, as configured or defaulted. */
  timeoutMs: number;
  retries: number;
  maxConcurrency: number;
  deadlineMs: number;
  /** The least deadline that would do for it. */
  leastMs: number;
}

/**
 * Each account whose longest healthy request (src/upstream/longest-read.ts: every attempt timed
 * out and retried, in the deepest request or a createBackups of limits.maxBulkInstances) passes
 * limits.answerDeadlineMs: its slow provider's answers are answered 504 as work the gateway lost.
 * A warning, not a refusal: the deadline is new, so a config whose account raised `timeoutMs`
 * before it came must not stop starting on upgrade; and a deadline deliberately shorter (below a
 * load balancer's idle timeout) is the operator's to choose. Said at `--check-config` and in the
 * start-up log, where the operator who raised the account's timeout looks.
 */
export function shortAnswerDeadlines(config: Pick<GatewayConfig, 'providers' | 'limits'>): ShortAnswerDeadline[] {
  const deadlineMs = config.limits.answerDeadlineMs;
  return config.providers.flatMap((provider) => {
    const policy = policyOptionsOf(provider);
    const leastMs = leastAnswerDeadlineMs(policy, config.limits.maxBulkInstances);
    return leastMs > deadlineMs ? [{ provider: provider.id, timeoutMs: policy.timeoutMs, retries: policy.retries, maxConcurrency: policy.maxConcurrency, deadlineMs, leastMs }] : [];
  });
}

/** The warning's words, for `--check-config` and the start-up log. */
export const shortAnswerDeadlineWarning = (account: ShortAnswerDeadline): string =>
  `limits.answerDeadlineMs (${account.deadlineMs}) is below the longest a healthy request to account ${account.provider} may take at its upstream settings ` +
  `(timeoutMs ${account.timeoutMs}, retries ${account.retries}, maxConcurrency ${account.maxConcurrency}, limits.maxBulkInstances; src/upstream/longest-read.ts): ` +
  `a request its provider is merely slow to answer is answered 504 INTERNAL_SERVER_ERROR as work the gateway lost; raise limits.answerDeadlineMs to ${account.leastMs} or more, or lower the account's timeoutMs or retries`;
