/**
 * What every gateway replica holds open of something counted per key (subscriptions per client),
 * in Redis with REDIS_URL. A cap on what is open, unlike one on a window, must not outlive the
 * replica holding it: each replica writes its own count per key, and its counts are summed only
 * while its lease (renewed by a heartbeat) lives.
 */

/** How long a replica's counts are summed after its last heartbeat: a replica that dies without a word frees its places this long after. */
export const HOLDINGS_LEASE_MS = 15_000;

/** One key's count on this replica, and the limit its total across replicas must not pass. */
export interface HeldCount {
  key: string;
  held: number;
}

export interface SharedHoldings {
  /**
   * Records this replica's count of each key and answers each key's total over the live replicas,
   * this one's included; null when the store failed or did not answer within SHARED_COUNT_WAIT_MS
   * (counted and logged): the caller then goes by its own count.
   */
  hold(counts: readonly HeldCount[]): Promise<number[] | null>;
  /** Records this replica's count of `key` (0 forgets it), without waiting for the store. */
  record(count: HeldCount): void;
  /** Stops the heartbeat and gives the lease up (not waited for: a stalled Redis must not hold a shutdown). */
  close(): void;
}
