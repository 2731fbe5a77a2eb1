import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { answerWithinMs } from './bounded-call.js';
import { SHARED_COUNT_WAIT_MS, type SharedCounter, type SharedCounters, type WindowCount } from './shared-counter.js';

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
 *
 * Once a count has failed or come late, the counts after it are still sent but not waited for
 * (null at once), until one answers within SHARED_COUNT_WAIT_MS again: every HTTP request and
 * every 401 waits for its count, and a Redis that stopped answering (a brown-out, a partition
 * ioredis has not noticed) added the whole wait to each of them for as long as it lasted.
 */
export class RedisCounters implements SharedCounters {
  /** Whether the last count that settled failed or came late: the next ones are then not waited for. */
  private failing = false;

  constructor(
    private readonly connection: CounterConnection,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  counter(name: string, limit: number, windowSeconds: number): SharedCounter {
    const limiter = new RateLimiterRedis({ storeClient: this.connection.client, keyPrefix: `${this.connection.prefix}limits:${name}`, points: limit, duration: windowSeconds });
    return {
      limit,
      // penalty: counts without refusing, so the caller decides what over the limit means.
      add: (key: string) => this.settled(answerWithinMs(limiter.penalty(key, 1), SHARED_COUNT_WAIT_MS)),
    };
  }

  /** The count, or null when it failed or came late; null at once while the counts before it did (see the class). */
  private async settled(counting: Promise<RateLimiterRes>): Promise<WindowCount | null> {
    const answered = counting.then(
      (answer) => {
        this.failing = false;
        return countOf(answer);
      },
      (error: unknown) => {
        this.failing = true;
        this.onFailure(error);
        return null;
      },
    );
    return this.failing ? null : answered;
  }
}

const countOf = (answer: RateLimiterRes): WindowCount => ({ count: answer.consumedPoints, msBeforeNext: Math.max(0, answer.msBeforeNext) });
