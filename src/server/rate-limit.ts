import type { NextFunction, Request, Response } from 'express';
import type { LimitsConfig } from '../config/schema.js';
import type { Principal } from '../gateway/principal.js';
import { growingLru } from '../state/growing-lru.js';
import { SITE_SHARE, SUBNET_SHARE, siteOf, subnetOf } from './address-groups.js';
import type { ClientAddressOf } from './client-address.js';

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

/**
 * `limits.rateLimit` shared by every entry point: one bucket per client
 * whichever way it came. Anonymous callers count by address and, for IPv6,
 * their /64 shares `SUBNET_SHARE` buckets' worth as well and their /48
 * `SITE_SHARE` /64s' worth (see address-groups).
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

  constructor(
    config: NonNullable<LimitsConfig['rateLimit']>,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.keys = new TokenBuckets(config.requestsPerSecond, config.burst);
    this.buckets = new TokenBuckets(config.requestsPerSecond, config.burst);
    this.subnets = new TokenBuckets(config.requestsPerSecond * SUBNET_SHARE, config.burst * SUBNET_SHARE);
    const perSite = SUBNET_SHARE * SITE_SHARE;
    this.sites = new TokenBuckets(config.requestsPerSecond * perSite, config.burst * perSite);
  }

  /** Seconds to wait (at least 1) when over the rate, 0 when the request may go. */
  check(principal: Principal | undefined, address: string | undefined): number {
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
}

const wholeSeconds = (waitSeconds: number): number => (waitSeconds === 0 ? 0 : Math.max(1, Math.ceil(waitSeconds)));

export const rateLimitMessage = (retryAfterSeconds: number): string => `too many requests from this client; retry after ${retryAfterSeconds} s (limits.rateLimit)`;

/**
 * The limiter as express middleware, after authentication. Over the rate:
 * 429 with Retry-After and a GraphQL error body (code QUERY_TOO_COMPLEX,
 * `retryAfterSeconds`), before any parsing or upstream call. A pass-through
 * when the config has no rateLimit.
 */
export function rateLimit(limiter: RateLimiter | null, clientAddressOf: ClientAddressOf): (req: Request, res: Response, next: NextFunction) => void {
  if (!limiter) return (_req, _res, next) => next();
  return (req, res, next) => {
    const retryAfterSeconds = limiter.check(res.locals.principal as Principal | undefined, clientAddressOf(req));
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
