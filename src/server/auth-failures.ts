import type { LRUCache } from 'lru-cache';
import type { LimitsConfig } from '../config/schema.js';
import { growingLru } from '../state/growing-lru.js';
import { type AddressGroup, type AddressGroupKind, groupsOf } from './address-groups.js';

/**
 * Addresses, /64s and /48s whose failures are remembered, the least recently seen
 * forgotten first (they start afresh): an attacker holding many addresses
 * cannot grow the table, only push its own oldest entries out, and its /48's
 * limit bounds how many it can add in a window.
 */
export const MAX_REMEMBERED = 50_000;

/**
 * The part of the table one /48's failures may fill within a window, whatever
 * `limits.authFailures.perAddress`. Each failure adds at most two entries (its address
 * and its /64), so a /48's limit is held to half this share of the table: with
 * `perAddress` at 1,000 a /48's 64,000 failures from fresh /64s took 128,000 entries and
 * pushed every other address's count out. At the default limits (1,280 failures per /48)
 * the share does not bind. Entries of a /48's earlier windows are the least recently
 * seen and go first: those seen within any window come from at most three of its own, so
 * one /48 never holds more than 3/16 of what is recent, and never pushes out a count
 * still running.
 */
export const SITE_TABLE_SHARE = 1 / 16;

interface Window {
  startedAt: number;
  failures: number;
}

/** Which limit holds an address back: its own, its /64's or its /48's. */
export type HeldBy = AddressGroupKind;

export interface Hold {
  by: HeldBy;
  /** What is held back: the address, or its /64 or /48 as `subnetOf` and `siteOf` write them. */
  group: string;
  /** Failures the group may have within a window. */
  limit: number;
  /** Whole seconds until the window ends, at least 1. */
  retryAfterSeconds: number;
}

/**
 * Failed authentications per client address within a window (`limits.authFailures`).
 * Once an address has failed `perAddress` times (its /64 `SUBNET_SHARE` times as many,
 * its /48 `SITE_SHARE` times its /64's, as address-groups.ts explains, but never more than
 * `SITE_TABLE_SHARE` of the table), it is held back
 * until the window that began with its first failure ends: at most that many guesses per
 * window, whatever the client's speed. Time is passed in, so the arithmetic is plain.
 */
export class AuthFailures {
  private readonly windows: LRUCache<string, Window>;
  /** The most a /48 may fail within a window so that its entries stay within `SITE_TABLE_SHARE` of the table. */
  private readonly siteCeiling: number;

  constructor(
    private readonly settings: LimitsConfig['authFailures'],
    private readonly nowMs: () => number = () => performance.now(),
    maxRemembered = MAX_REMEMBERED,
  ) {
    this.windows = growingLru<string, Window>(maxRemembered);
    // The /48's own entry, then two per failure; at least one failure, so a /48 can ever fail.
    this.siteCeiling = Math.max(1, Math.floor((maxRemembered * SITE_TABLE_SHARE - 1) / 2));
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

  /** The address, then its /64 and /48 for IPv6, each with its limit (the /48's held to its share of the table). */
  private levelsOf(address: string): AddressGroup[] {
    return groupsOf(address, this.settings.perAddress).map((level) => (level.by === 'site' ? { ...level, limit: Math.min(level.limit, this.siteCeiling) } : level));
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
