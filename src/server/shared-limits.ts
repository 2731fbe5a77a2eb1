import type { Logger } from 'pino';
import { STORE_FAILURE_LINE_MS, storeFailureLines, type CountStoreFailure } from '../observability/store-failure-lines.js';
import type { SharedCounters } from '../state/shared-counter.js';
import type { SharedHoldings } from '../state/shared-holdings.js';
import type { KeyValueStore } from '../state/store.js';

/** The counts `limits.rateLimit`, `limits.authFailures`, `limits.secretTextRefusals` and `limits.maxSubscriptionsPerClient` share between replicas. */
export interface SharedLimitCounters {
  rate: SharedCounters;
  auth: SharedCounters;
  secretText: SharedCounters;
  /** Open subscriptions per client; its heartbeat runs until `close`. */
  subscriptions: SharedHoldings;
}

/**
 * Counters in the store's Redis, or null when the store is this process's memory (each replica
 * counts alone then, as the README says). rate-limiter-flexible is loaded only with Redis, as
 * ioredis is. Each failure is a `backup_graph_store_failures_total` count (`rate_limit`,
 * `auth_failures`, `secret_text_refusals`, `subscriptions`) and a throttled warn line. `leaseMs`: tests only, a
 * shorter HOLDINGS_LEASE_MS.
 */
export async function sharedLimitCounters(store: KeyValueStore, logger: Logger, count: CountStoreFailure, lineMs = STORE_FAILURE_LINE_MS, leaseMs?: number): Promise<SharedLimitCounters | null> {
  const connection = store.sharedConnection?.();
  if (!connection) return null;
  const { RedisCounters } = await import('../state/redis-counters.js');
  const { RedisHoldings } = await import('../state/redis-holdings.js');
  return {
    rate: new RedisCounters(connection, storeFailureLines(logger, 'shared store failed: the request rate is counted by this replica alone', lineMs, { user: 'rate_limit', count })),
    auth: new RedisCounters(connection, storeFailureLines(logger, 'shared store failed: failed authentications are counted by this replica alone', lineMs, { user: 'auth_failures', count })),
    secretText: new RedisCounters(connection, storeFailureLines(logger, 'shared store failed: writes refused for credential text are counted by this replica alone', lineMs, { user: 'secret_text_refusals', count })),
    subscriptions: new RedisHoldings(connection, storeFailureLines(logger, 'shared store failed: open subscriptions are counted by this replica alone', lineMs, { user: 'subscriptions', count }), leaseMs),
  };
}
