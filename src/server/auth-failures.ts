import type { LRUCache } from 'lru-cache';
import type { LimitsConfig } from '../config/schema.js';
import { growingLru } from '../state/growing-lru.js';
import { SITE_SHARE, SUBNET_SHARE, siteOf, subnetOf } from './address-groups.js';

/**
 * Addresses, /64s and /48s whose failures are remembered, the least recently seen
 * forgotten first (they start afresh): an attacker holding many addresses
 * cannot grow the table, only push its own oldest entries out, and its /48's
 * limit bounds how many it can add in a window.
 */
export const MAX_REMEMBERED = 50_000;

interface Window {
  startedAt: number;
  failures: number;
}

/** Which limit holds an address back: its own, its /64's or its /48's. */
export type HeldBy = 'address' | 'subnet' | 'site';

export interface Hold {
  by: HeldBy;
  /** What is held back: the address, or its /64 or /48 as `subnetOf` and `siteOf` write them. */
  group: string;
  /** Failures the group may have within a window. */
  limit: number;
  /** Whole seconds until the window ends, at least 1. */
  retryAfterSeconds: number;
}

/** A group an address's failures count in, and what that group may fail within a window. */
interface Level {
  by: HeldBy;
  group: string;
  limit: number;
}

/**
 * Failed authentications per client address within a window (`limits.authFailures`).
 * Once an address has failed `perAddress` times (its /64 `SUBNET_SHARE` times as many,
 * its /48 `SITE_SHARE` times its /64's, as address-groups.ts explains), it is held back
 * until the window that began with its first failure ends: at most that many guesses per
 * window, whatever the client's speed. Time is passed in, so the arithmetic is plain.
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
    for (const level of this.levelsOf(address)) {
      const seconds = this.heldFor(level.group, level.limit, now);
      if (seconds !== null) return { ...level, retryAfterSeconds: seconds };
    }
    return null;
  }

  /** Counts a failed authentication from `address` (and its /64 and /48); says the hold it brought about, if this one did. */
  failed(address: string): Hold | null {
    const now = this.nowMs();
    for (const level of this.levelsOf(address)) this.count(level.group, now);
    return this.holdOn(address);
  }

  /** Addresses, /64s and /48s remembered now (what the table keeps). */
  get remembered(): number {
    return this.windows.size;
  }

  /** The address, then its /64 and /48 for IPv6, each with its limit. */
  private levelsOf(address: string): Level[] {
    const perSubnet = this.settings.perAddress * SUBNET_SHARE;
    const levels: Level[] = [{ by: 'address', group: address, limit: this.settings.perAddress }];
    const subnet = subnetOf(address);
    if (subnet !== null) levels.push({ by: 'subnet', group: subnet, limit: perSubnet });
    const site = siteOf(address);
    if (site !== null) levels.push({ by: 'site', group: site, limit: perSubnet * SITE_SHARE });
    return levels;
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
