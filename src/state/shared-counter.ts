/**
 * Counts that every gateway replica adds to and reads (Redis with REDIS_URL): a limit counted
 * per process lets N replicas behind a balancer allow N times what is configured.
 */

/**
 * How long a request waits for the shared counts before going by its own process's: a limit must
 * not hold every request up while Redis is slow (the read cache waits as long).
 */
export const SHARED_COUNT_WAIT_MS = 250;

/** A key's count within its window, and the time until the window ends. */
export interface WindowCount {
  count: number;
  msBeforeNext: number;
}

/**
 * A count per key over a fixed window that starts at the key's first count, shared by every
 * replica. `add` answers null when the store failed or did not answer in time (the failure is
 * counted and logged by the counter): callers then go by their own process's count.
 */
export interface SharedCounter {
  /** The count a key may reach within its window. */
  readonly limit: number;
  add(key: string): Promise<WindowCount | null>;
}

/** Shared counters for one kind of limit, by level: a client key, an address, its /64, its /48. */
export interface SharedCounters {
  /** A counter that allows `limit` in each window of `windowSeconds` (whole seconds: Redis's expiry). */
  counter(name: string, limit: number, windowSeconds: number): SharedCounter;
}
