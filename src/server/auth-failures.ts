import type { LRUCache } from 'lru-cache';
import type { LimitsConfig } from '../config/schema.js';
import { growingLru } from '../state/growing-lru.js';
import { SUBNET_SHARE, subnetOf } from './address-groups.js';

/**
 * Addresses and /64s whose failures are remembered, the least recently seen
 * forgotten first (they start afresh): an attacker holding many addresses
 * cannot grow the table, only push its own oldest entries out.
 */
export const MAX_REMEMBERED = 50_000;

interface Window {
  startedAt: number;
  failures: number;
}

/** Which limit holds an address back: its own, or its /64's. */
export type HeldBy = 'address' | 'subnet';

export interface Hold {
  by: HeldBy;
  /** What is held back: the address, or its /64 as `subnetOf` writes it. */
  group: string;
  /** Failures the group may have within a window. */
  limit: number;
  /** Whole seconds until the window ends, at least 1. */
  retryAfterSeconds: number;
}

/**
 * Failed authentications per client address within a window (`limits.authFailures`).
 * Once an address has failed `perAddress` times (its /64 `SUBNET_SHARE` times as many,
 * as address-groups.ts explains), it is held back until the window that began with its
 * first failure ends: at most that many guesses per window, whatever the client's speed.
 * Time is passed in, so the arithmetic is plain.
 */
export class AuthFailures {
  private readonly windows: LRUCache<string, Window>;

  constructor(
    private readonly settings: LimitsConfig['authFailures'],
    private readonly nowMs: () => number = () => performance.now(),
    maxRemembered = MAX_REMEMBERED,
  ) {
    this.windows = growingLru<string, Window>(maxRemembered);
  }

  /** Why `address` is held back now, or null when its requests may try a key. */
  holdOn(address: string): Hold | null {
    const now = this.nowMs();
    const own = this.heldFor(address, this.settings.perAddress, now);
    if (own !== null) return { by: 'address', group: address, limit: this.settings.perAddress, retryAfterSeconds: own };
    const subnet = subnetOf(address);
    const subnetLimit = this.settings.perAddress * SUBNET_SHARE;
    const shared = subnet === null ? null : this.heldFor(subnet, subnetLimit, now);
    return shared === null || subnet === null ? null : { by: 'subnet', group: subnet, limit: subnetLimit, retryAfterSeconds: shared };
  }

  /** Counts a failed authentication from `address` (and its /64); says the hold it brought about, if this one did. */
  failed(address: string): Hold | null {
    const now = this.nowMs();
    this.count(address, now);
    const subnet = subnetOf(address);
    if (subnet !== null) this.count(subnet, now);
    return this.holdOn(address);
  }

  /** Addresses and /64s remembered now (what the table keeps). */
  get remembered(): number {
    return this.windows.size;
  }

  private count(key: string, now: number): void {
    const current = this.current(key, now);
    if (current) current.failures += 1;
    else this.windows.set(key, { startedAt: now, failures: 1 });
  }

  /** Seconds `key` is held back for when it has used its `limit` within its window, else null. */
  private heldFor(key: string, limit: number, now: number): number | null {
    const current = this.current(key, now);
    if (!current || current.failures < limit) return null;
    return Math.max(1, Math.ceil((current.startedAt + this.settings.windowMs - now) / 1000));
  }

  /** The window of `key` still running at `now`, or null (an ended one is forgotten). */
  private current(key: string, now: number): Window | null {
    const window = this.windows.get(key);
    if (window === undefined) return null;
    if (now - window.startedAt < this.settings.windowMs) return window;
    this.windows.delete(key);
    return null;
  }
}
