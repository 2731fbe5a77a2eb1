import { UPSTREAM_DEFAULTS } from '../upstream/defaults.js';
import type { GatewayConfig } from './schema.js';

/**
 * `limits.maxAnswerBytesHeld` below one answer's size limit, or null. Such a budget is kept
 * (each account's oldest reader always goes on, so every answer is still read), but an
 * account's answers larger than it are then read one at a time, each waiting for the one before it within the attempt's
 * timeout: concurrent large lists fail as PROVIDER_TIMEOUT, and only the paused-reads gauge
 * says why. A warning, not a refusal: the value has been valid and documented since the
 * budget came, a gateway whose providers send small answers runs well under it, and a config
 * that starts today must not stop starting (as short-secrets.ts).
 */
export function smallAnswerBudget(config: Pick<GatewayConfig, 'limits'>): string | null {
  const budget = config.limits.maxAnswerBytesHeld;
  const answerLimit = UPSTREAM_DEFAULTS.maxResponseBytes;
  if (budget >= answerLimit) return null;
  return (
    `limits.maxAnswerBytesHeld (${budget}) is below one upstream answer's size limit (${answerLimit}, 32 MiB): ` +
    `an account's answers larger than it are read one at a time, each paused reader waiting within its account's timeoutMs, ` +
    `so concurrent large lists fail as PROVIDER_TIMEOUT (backup_graph_upstream_answer_reads_paused above 0); ` +
    `set it to at least ${answerLimit}, or leave it out (default ${128 * 1024 * 1024})`
  );
}
