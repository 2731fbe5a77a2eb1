import type { Logger } from 'pino';
import { LogThrottle } from '../observability/log-throttle.js';
import { GROUP_WORDS } from './address-groups.js';
import type { AuthFailures, Hold } from './auth-failures.js';

/** One line per held-back address (or /64) this often, counting the refusals left out. */
const LINE_PERIOD_MS = 10_000;

export const authFailuresMessage = (hold: Hold): string =>
  `too many failed authentications from ${GROUP_WORDS[hold.by]}; retry after ${hold.retryAfterSeconds} s (limits.authFailures)`;

export interface AuthFailureCounters {
  /** A key refused (401, or a WebSocket 4403 at connection_init). */
  failed(): void;
  /** A request or connection refused unheard: its address failed too often. */
  refused(): void;
}

/**
 * `limits.authFailures` for every entry point that checks a key (HTTP /graphql, WebSocket
 * connection_init): one count per address whichever way it came, so a client cannot
 * guess over HTTP what WebSocket refused it. Logs a throttled warn line per held-back
 * address, never one per failure: a guessing client would write the log as fast as it sends.
 */
export class AuthFailureGuard {
  private readonly lines = new LogThrottle(LINE_PERIOD_MS);

  constructor(
    private readonly failures: AuthFailures,
    private readonly logger: Logger,
    private readonly counters: AuthFailureCounters,
  ) {}

  /**
   * Why a request from `address` is refused before its key is even looked at, or null.
   * Every request is, a good key's too: answering one would tell a guesser when it had hit.
   */
  refusal(address: string): Hold | null {
    const hold = this.failures.holdOn(address);
    if (hold === null) return null;
    this.counters.refused();
    this.note(address, hold);
    return hold;
  }

  /** Counts a failed authentication from `address`. */
  failed(address: string): void {
    this.counters.failed();
    const hold = this.failures.failed(address);
    if (hold !== null) this.note(address, hold);
  }

  private note(address: string, hold: Hold): void {
    const leftOut = this.lines.take(hold.group);
    if (leftOut === null) return;
    this.logger.warn(
      { remote: address, group: hold.group, per: hold.by, limit: hold.limit, retryAfterSeconds: hold.retryAfterSeconds, alsoRefusedSinceLastLine: leftOut },
      'requests refused: too many failed authentications from this address (limits.authFailures)',
    );
  }
}
