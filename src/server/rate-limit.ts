import type { NextFunction, Request, Response } from 'express';
import type { LimitsConfig } from '../config/schema.js';
import type { Principal } from '../gateway/principal.js';
import { withinMs } from '../state/bounded-call.js';
import { growingLru } from '../state/growing-lru.js';
import { SHARED_COUNT_WAIT_MS, type SharedCounter, type SharedCounters } from '../state/shared-counter.js';
import { SITE_SHARE, SUBNET_SHARE, siteOf, subnetOf } from './address-groups.js';
import type { ClientAddressOf } from './client-address.js';
import { HeldKeys } from './held-keys.js';

/** Clients (or anonymous addresses, /64s or /48s, each kind in a table of its own) whose buckets are remembered; a forgotten one starts full again. */
const MAX_BUCKETS = 50_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per client: `burst` requests at once, then
 * `requestsPerSecond` on average. Returns how many seconds to wait, 0 when
 * the request may go now. Time is passed in, so the arithmetic is plain.
 */
export class TokenBuckets {
  private readonly buckets = growingLru<string, Bucket>(MAX_BUCKETS);

  constructor(
    private readonly requestsPerSecond: number,
    private readonly burst: number,
  ) {}

  take(who: string, nowMs: number): number {
    const bucket = this.buckets.get(who) ?? { tokens: this.burst, at: nowMs };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.requestsPerSecond);
    bucket.at = nowMs;
    this.buckets.set(who, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / this.requestsPerSecond;
  }
}

/** The shared counters of `limits.rateLimit`, one per kind of bucket (see RateLimiter). */
export interface SharedRateCounters {
  keys: SharedCounter;
  addresses: SharedCounter;
  subnets: SharedCounter;
  sites: SharedCounter;
}

/**
 * `limits.rateLimit` as fixed windows counted across replicas. Redis expires keys in whole
 * seconds, so a window is `burst / requestsPerSecond` rounded up to a second (at least one),
 * and allows the rate over it, never less than the burst: the same average as the bucket's.
 * Unlike a bucket, a window's requests may all come at its start and the next window's at
 * once after: up to twice its allowance in one window's time, across all replicas (each
 * replica's own bucket still spaces what reaches it).
 */
export function sharedRateCounters(counters: SharedCounters, config: NonNullable<LimitsConfig['rateLimit']>): SharedRateCounters {
  const windowSeconds = Math.max(1, Math.ceil(config.burst / config.requestsPerSecond));
  const allowance = (share: number): number => Math.max(config.burst * share, Math.round(config.requestsPerSecond * windowSeconds * share));
  const perSite = SUBNET_SHARE * SITE_SHARE;
  return {
    keys: counters.counter('rate:key', allowance(1), windowSeconds),
    addresses: counters.counter('rate:ip', allowance(1), windowSeconds),
    subnets: counters.counter('rate:subnet', allowance(SUBNET_SHARE), windowSeconds),
    sites: counters.counter('rate:site', allowance(perSite), windowSeconds),
  };
}

/**
 * `limits.rateLimit` shared by every entry point: one bucket per client
 * whichever way it came. Anonymous callers count by address and, for IPv6,
 * their /64 shares `SUBNET_SHARE` buckets' worth as well and their /48
 * `SITE_SHARE` /64s' worth (see address-groups). With `shared` (Redis), each
 * request also counts in windows every replica counts in (sharedRateCounters),
 * so N replicas do not allow N times the rate; a Redis that fails or is late
 * leaves the request to this process's buckets alone.
 */
export class RateLimiter {
  /**
   * Keyed clients' buckets, apart from the addresses': an anonymous request from a fresh
   * address adds an address's bucket even when its /64 refuses it, so one host of a /64 could
   * push every key's bucket out of a shared table, and a key holder got a full burst again
   * each time. The keys are the configured clients', so this table stays as small as they.
   */
  private readonly keys: TokenBuckets;
  private readonly buckets: TokenBuckets;
  private readonly subnets: TokenBuckets;
  private readonly sites: TokenBuckets;
  /** Shared windows found full, until they end. */
  private readonly held: HeldKeys;

  constructor(
    config: NonNullable<LimitsConfig['rateLimit']>,
    private readonly nowMs: () => number = () => performance.now(),
    private readonly shared: SharedRateCounters | null = null,
  ) {
    this.keys = new TokenBuckets(config.requestsPerSecond, config.burst);
    this.buckets = new TokenBuckets(config.requestsPerSecond, config.burst);
    this.subnets = new TokenBuckets(config.requestsPerSecond * SUBNET_SHARE, config.burst * SUBNET_SHARE);
    const perSite = SUBNET_SHARE * SITE_SHARE;
    this.sites = new TokenBuckets(config.requestsPerSecond * perSite, config.burst * perSite);
    this.held = new HeldKeys(nowMs);
  }

  /**
   * Seconds to wait (at least 1) when over the rate, 0 when the request may go, by this
   * process's buckets and the shared windows it knows to be full; the request's shared count
   * is sent without waiting for it, so across replicas a client gets at most one more request
   * through per replica before each learns its window is full.
   */
  check(principal: Principal | undefined, address: string | undefined): number {
    const wait = this.checkHere(principal, address);
    if (wait === 0 && this.shared) void this.countShared(principal, address);
    return wait;
  }

  /** As `check`, waiting for the shared count (at most SHARED_COUNT_WAIT_MS): HTTP requests. */
  async checkAcrossReplicas(principal: Principal | undefined, address: string | undefined): Promise<number> {
    const wait = this.checkHere(principal, address);
    return wait > 0 || !this.shared ? wait : this.countShared(principal, address);
  }

  /** Whether requests are also counted by every replica together (Redis): see `countAcrossReplicas`. */
  get countsAcrossReplicas(): boolean {
    return this.shared !== null;
  }

  /**
   * The shared count of a request `checkHere` let through (at most SHARED_COUNT_WAIT_MS): seconds
   * to wait, 0 when under every window, when Redis failed or came late, or without Redis. For
   * WebSocket operations, which check here first and wait for this once their place is taken.
   */
  async countAcrossReplicas(principal: Principal | undefined, address: string | undefined): Promise<number> {
    return this.shared ? this.countShared(principal, address) : 0;
  }

  /** This process's buckets and the shared windows it already knows to be full, at once. */
  checkHere(principal: Principal | undefined, address: string | undefined): number {
    const wait = this.checkBuckets(principal, address);
    if (wait > 0 || !this.shared) return wait;
    for (const [, key] of this.sharedLevels(this.shared, principal, address)) {
      const heldMs = this.held.heldFor(key);
      if (heldMs > 0) return wholeSeconds(heldMs / 1000);
    }
    return 0;
  }

  private checkBuckets(principal: Principal | undefined, address: string | undefined): number {
    const now = this.nowMs();
    if (principal && principal.keyId !== 'anonymous') return wholeSeconds(this.keys.take(principal.keyId, now));
    const own = this.buckets.take(`ip:${address ?? 'unknown'}`, now);
    // A refused request spends nothing of its /64 or /48: one host over its own rate cannot lock its
    // neighbours out, nor one /64 over its share the rest of its /48.
    if (own > 0) return wholeSeconds(own);
    const subnet = subnetOf(address ?? '');
    const site = siteOf(address ?? '');
    if (subnet === null || site === null) return 0;
    const ofSubnet = this.subnets.take(subnet, now);
    if (ofSubnet > 0) return wholeSeconds(ofSubnet);
    return wholeSeconds(this.sites.take(site, now));
  }

  /**
   * Counts the request in the shared windows, narrowest first, stopping at a full one (as the
   * buckets do); 0 when Redis failed. One wait for them all: an anonymous IPv6 request counts in
   * three windows one after another, and each waiting its own SHARED_COUNT_WAIT_MS held it up to
   * three times that on a slow Redis. Past the wait the wider windows are not counted (as when
   * Redis fails, the buckets decide).
   */
  private async countShared(principal: Principal | undefined, address: string | undefined): Promise<number> {
    if (!this.shared) return 0;
    const deadline = performance.now() + SHARED_COUNT_WAIT_MS;
    for (const [counter, key] of this.sharedLevels(this.shared, principal, address)) {
      const counted = await withinMs(counter.add(key), deadline - performance.now());
      if (!counted) return 0;
      if (counted.count > counter.limit) {
        this.held.hold(key, counted.msBeforeNext);
        return wholeSeconds(counted.msBeforeNext / 1000);
      }
    }
    return 0;
  }

  /** The shared counters a request counts in, each with its key (a client key's digest, never the key). */
  private sharedLevels(shared: SharedRateCounters, principal: Principal | undefined, address: string | undefined): Array<[SharedCounter, string]> {
    if (principal && principal.keyId !== 'anonymous') return [[shared.keys, `key:${principal.keyId}`]];
    const levels: Array<[SharedCounter, string]> = [[shared.addresses, `ip:${address ?? 'unknown'}`]];
    const subnet = subnetOf(address ?? '');
    const site = siteOf(address ?? '');
    if (subnet !== null && site !== null) levels.push([shared.subnets, `subnet:${subnet}`], [shared.sites, `site:${site}`]);
    return levels;
  }
}

const wholeSeconds = (waitSeconds: number): number => (waitSeconds === 0 ? 0 : Math.max(1, Math.ceil(waitSeconds)));

export const rateLimitMessage = (retryAfterSeconds: number): string => `too many requests from this client; retry after ${retryAfterSeconds} s (limits.rateLimit)`;

/**
 * The limiter as express middleware, after authentication. Over the rate:
 * 429 with Retry-After and a GraphQL error body (code QUERY_TOO_COMPLEX,
 * `retryAfterSeconds`), before any parsing or upstream call. A pass-through
 * when the config has no rateLimit.
 */
export function rateLimit(limiter: RateLimiter | null, clientAddressOf: ClientAddressOf): (req: Request, res: Response, next: NextFunction) => void | Promise<void> {
  if (!limiter) return (_req, _res, next) => next();
  return async (req, res, next) => {
    const retryAfterSeconds = await limiter.checkAcrossReplicas(res.locals.principal as Principal | undefined, clientAddressOf(req));
    if (retryAfterSeconds === 0) {
      next();
      return;
    }
    res
      .status(429)
      .setHeader('retry-after', String(retryAfterSeconds))
      .json({ errors: [{ message: rateLimitMessage(retryAfterSeconds), extensions: { code: 'QUERY_TOO_COMPLEX', retryAfterSeconds } }] });
  };
}
