import type { NextFunction, Request, Response } from 'express';
import { LRUCache } from 'lru-cache';
import type { LimitsConfig } from '../config/schema.js';
import type { Principal } from '../gateway/principal.js';

/** Clients (or anonymous addresses) whose buckets are remembered; a forgotten one starts full again. */
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
  private readonly buckets = new LRUCache<string, Bucket>({ max: MAX_BUCKETS });

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
 * `limits.rateLimit` as express middleware, after authentication: keyed by
 * the client's key identity (anonymous callers by address), per gateway
 * process. Over the rate: 429 with Retry-After and a GraphQL error body
 * (code QUERY_TOO_COMPLEX, `retryAfterSeconds`), before any parsing or
 * upstream call. Off (a pass-through) when the config has no rateLimit.
 */
export function rateLimit(config: LimitsConfig['rateLimit']): (req: Request, res: Response, next: NextFunction) => void {
  if (!config) return (_req, _res, next) => next();
  const buckets = new TokenBuckets(config.requestsPerSecond, config.burst);
  return (req, res, next) => {
    const principal = res.locals.principal as Principal | undefined;
    const who = principal && principal.keyId !== 'anonymous' ? `key:${principal.keyId}` : `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
    const waitSeconds = buckets.take(who, performance.now());
    if (waitSeconds === 0) {
      next();
      return;
    }
    const retryAfterSeconds = Math.max(1, Math.ceil(waitSeconds));
    res
      .status(429)
      .setHeader('retry-after', String(retryAfterSeconds))
      .json({ errors: [{ message: `too many requests from this client; retry after ${retryAfterSeconds} s (limits.rateLimit)`, extensions: { code: 'QUERY_TOO_COMPLEX', retryAfterSeconds } }] });
  };
}
