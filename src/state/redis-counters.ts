import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { answerWithinMs } from './bounded-call.js';
import type { SharedCounter, SharedCounters, WindowCount } from './shared-counter.js';

/**
 * How long a request waits for Redis's count before going by its own process's: a limit must
 * not hold every request up while Redis is slow (the read cache waits as long).
 */
export const SHARED_COUNT_WAIT_MS = 250;

/** Redis's connection and the key prefix of this gateway's keys (RedisStore.sharedConnection). */
export interface CounterConnection {
  client: object;
  prefix: string;
}

/**
 * Shared counters in Redis through rate-limiter-flexible's RateLimiterRedis: one atomic script
 * per count (INCRBY, and the window's expiry set by the first), keys under
 * `<prefix>limits:<name>:`. A failure or a late answer goes to `onFailure` (the store-failure
 * metric and its log line) and the caller gets null.
 */
export class RedisCounters implements SharedCounters {
  constructor(
    private readonly connection: CounterConnection,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  counter(name: string, limit: number, windowSeconds: number): SharedCounter {
    const limiter = new RateLimiterRedis({ storeClient: this.connection.client, keyPrefix: `${this.connection.prefix}limits:${name}`, points: limit, duration: windowSeconds });
    const onFailure = this.onFailure;
    return {
      limit,
      async add(key: string): Promise<WindowCount | null> {
        try {
          // penalty: counts without refusing, so the caller decides what over the limit means.
          return countOf(await answerWithinMs(limiter.penalty(key, 1), SHARED_COUNT_WAIT_MS));
        } catch (error) {
          onFailure(error);
          return null;
        }
      },
    };
  }
}

const countOf = (answer: RateLimiterRes): WindowCount => ({ count: answer.consumedPoints, msBeforeNext: Math.max(0, answer.msBeforeNext) });
