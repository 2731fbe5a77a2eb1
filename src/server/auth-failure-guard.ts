import type { Logger } from 'pino';
import { LogThrottle } from '../observability/log-throttle.js';
import type { LimitsConfig } from '../config/schema.js';
import type { SharedCounter, SharedCounters } from '../state/shared-counter.js';
import { type AddressGroupKind, GROUP_WORDS, SITE_SHARE, SUBNET_SHARE, groupsOf } from './address-groups.js';
import type { AuthFailures, Hold } from './auth-failures.js';
import { HeldKeys } from './held-keys.js';

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

/** `limits.authFailures` counted across replicas: an address's, its /64's and its /48's failures, each over the window (whole seconds, at least one). */
export interface SharedAuthCounters {
  perAddress: number;
  by: Record<AddressGroupKind, SharedCounter>;
}

export function sharedAuthCounters(counters: SharedCounters, settings: LimitsConfig['authFailures']): SharedAuthCounters {
  const windowSeconds = Math.max(1, Math.ceil(settings.windowMs / 1000));
  return {
    perAddress: settings.perAddress,
    by: {
      address: counters.counter('auth:address', settings.perAddress, windowSeconds),
      subnet: counters.counter('auth:subnet', settings.perAddress * SUBNET_SHARE, windowSeconds),
      site: counters.counter('auth:site', settings.perAddress * SUBNET_SHARE * SITE_SHARE, windowSeconds),
    },
  };
}

/**
 * `limits.authFailures` for every entry point that checks a key (HTTP /graphql, WebSocket
 * connection_init): one count per address whichever way it came, so a client cannot
 * guess over HTTP what WebSocket refused it. Logs a throttled warn line per held-back
 * address, never one per failure: a guessing client would write the log as fast as it sends.
 */
export class AuthFailureGuard {
  private readonly lines = new LogThrottle(LINE_PERIOD_MS);
  /** Groups the shared counts found held, until their window ends. */
  private readonly held: HeldKeys;

  /**
   * `shared` (Redis): failures also count where every replica counts them. A replica learns an
   * address is held from the shared count its own next failure brings back, so across N
   * replicas an address fails at most `perAddress` + N - 1 times a window, not N times
   * `perAddress`; a Redis that fails or is late leaves this process's count alone to decide.
   */
  constructor(
    private readonly failures: AuthFailures,
    private readonly logger: Logger,
    private readonly counters: AuthFailureCounters,
    private readonly shared: SharedAuthCounters | null = null,
    nowMs: () => number = () => performance.now(),
  ) {
    this.held = new HeldKeys(nowMs);
  }

  /**
   * Why a request from `address` is refused before its key is even looked at, or null.
   * Every request is, a good key's too: answering one would tell a guesser when it had hit.
   */
  refusal(address: string): Hold | null {
    const hold = this.failures.holdOn(address) ?? this.sharedHold(address);
    if (hold === null) return null;
    this.counters.refused();
    this.note(address, hold);
    return hold;
  }

  /**
   * Counts a failed authentication from `address`; resolves once the shared counts have answered
   * (or failed). A failure counts at every level, so the levels are counted at once: one after
   * another, an IPv6 address's 401 waited up to three times the shared count's wait.
   */
  async failed(address: string): Promise<void> {
    this.counters.failed();
    const hold = this.failures.failed(address);
    if (hold !== null) this.note(address, hold);
    const shared = this.shared;
    if (!shared) return;
    await Promise.all(
      groupsOf(address, shared.perAddress).map(async (level) => {
        const counter = shared.by[level.by];
        const counted = await counter.add(level.group);
        if (counted !== null && counted.count >= counter.limit) this.held.hold(`${level.by}:${level.group}`, counted.msBeforeNext);
      }),
    );
  }

  /** The hold the shared counts brought back for `address` (or its /64, or /48), if one is still running. */
  private sharedHold(address: string): Hold | null {
    if (!this.shared) return null;
    for (const level of groupsOf(address, this.shared.perAddress)) {
      const heldMs = this.held.heldFor(`${level.by}:${level.group}`);
      if (heldMs > 0) return { by: level.by, group: level.group, limit: this.shared.by[level.by].limit, retryAfterSeconds: Math.max(1, Math.ceil(heldMs / 1000)) };
    }
    return null;
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
