import { policyOptionsOf } from '../upstream/defaults.js';
import { leastAnswerDeadlineMs } from '../upstream/longest-read.js';
import { ANSWER_DEADLINE_MOST_MS, type GatewayConfig } from './schema.js';

/** Whether the file (after variable substitution) wrote limits.answerDeadlineMs itself. */
function deadlineWritten(input: unknown): boolean {
  if (typeof input !== 'object' || input === null) return false;
  const limits = (input as { limits?: unknown }).limits;
  return typeof limits === 'object' && limits !== null && Object.hasOwn(limits, 'answerDeadlineMs');
}

/**
 * limits.answerDeadlineMs where the file leaves it out: the default (180 s), or the least deadline
 * its slowest account needs (src/upstream/longest-read.ts) when that is longer, up to the schema's
 * 1 h. An operator who raises an account's timeoutMs or retries should not also have to learn that
 * a second key must follow, or healthy slow answers read 504 as lost work; one who writes the key
 * keeps it as written, and --check-config and the start warn when it is short
 * (short-answer-deadline.ts).
 */
export function withDerivedAnswerDeadline(config: GatewayConfig, input: unknown): GatewayConfig {
  if (deadlineWritten(input)) return config;
  const needed = Math.max(config.limits.answerDeadlineMs, ...config.providers.map((provider) => leastAnswerDeadlineMs(policyOptionsOf(provider), config.limits.maxBulkInstances)));
  const answerDeadlineMs = Math.min(needed, ANSWER_DEADLINE_MOST_MS);
  return answerDeadlineMs === config.limits.answerDeadlineMs ? config : { ...config, limits: { ...config.limits, answerDeadlineMs } };
}
