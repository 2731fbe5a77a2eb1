import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { anonymousWith, type Principal } from '../../src/gateway/principal.js';
import { SITE_SHARE, SUBNET_SHARE } from '../../src/server/address-groups.js';
import { RateLimiter, TokenBuckets, rateLimit } from '../../src/server/rate-limit.js';

const keyed = (keyId: string): Principal => ({ name: keyId, keyId, roles: new Set(['viewer']), providers: null });
const anonymous = anonymousWith('viewer');
const inSubnet = (n: number) => `2001:db8:0:0:0:0:0:${n.toString(16)}`;
/**
 * So slow a rate that a bucket refills by whole seconds only over 1,000 s, on
 * a clock that stands still: a loop of 60,000 checks took long enough on a
 * busy machine for a wait of 1000 s to read 999.
 */
const limiter = (burst: number) => new RateLimiter({ requestsPerSecond: 0.001, burst }, () => 0);

describe('TokenBuckets', () => {
  it('lets a burst through, then one request per 1/rate seconds, and says how long to wait', () => {
    const buckets = new TokenBuckets(2, 3);
    expect([buckets.take('a', 0), buckets.take('a', 0), buckets.take('a', 0)]).toEqual([0, 0, 0]);
    expect(buckets.take('a', 0)).toBe(0.5);
    expect(buckets.take('a', 250)).toBeCloseTo(0.25);
    expect(buckets.take('a', 500)).toBe(0);
    expect(buckets.take('b', 500)).toBe(0);
    // Refilled up to the burst, never past it.
    expect([0, 0, 0, 0].map(() => buckets.take('a', 100_000))).toEqual([0, 0, 0, 0.5]);
  });
});

describe('RateLimiter', () => {
  it('counts a key by its key wherever it comes from, and anonymous callers by address', () => {
    const limits = limiter(1);
    expect(limits.check(keyed('k1'), '203.0.113.1')).toBe(0);
    expect(limits.check(keyed('k1'), '203.0.113.2')).toBe(1000);
    expect(limits.check(keyed('k2'), '203.0.113.1')).toBe(0);
    expect(limits.check(anonymous, '203.0.113.1')).toBe(0);
    expect(limits.check(anonymous, '203.0.113.1')).toBeGreaterThanOrEqual(1);
    expect(limits.check(undefined, '203.0.113.2')).toBe(0);
    expect(limits.check(undefined, '203.0.113.2')).toBeGreaterThanOrEqual(1);
    // Whole seconds, at least one.
    expect(Number.isInteger(limits.check(undefined, '203.0.113.2'))).toBe(true);
  });

  it('refuses a host taking a new address of its /64 per request once the /64 spent SUBNET_SHARE bursts; another /64 is untouched', () => {
    const limits = limiter(2);
    const allowed = Array.from({ length: 2 * SUBNET_SHARE + 1 }, (_, n) => limits.check(anonymous, inSubnet(n + 1)) === 0);
    expect(allowed.filter(Boolean)).toHaveLength(2 * SUBNET_SHARE);
    expect(allowed.at(-1)).toBe(false);
    expect(limits.check(anonymous, '2001:db8:0:1:0:0:0:1')).toBe(0);
    // Keys and IPv4 addresses are not grouped.
    for (let n = 1; n <= 2 * SUBNET_SHARE + 1; n++) expect(limits.check(anonymous, `10.0.0.${n}`)).toBe(0);
  });

  it('spends nothing of the /64 on a request its own address refused: a noisy neighbour cannot lock the others out', () => {
    const limits = limiter(1);
    expect(limits.check(anonymous, inSubnet(1))).toBe(0);
    for (let request = 0; request < 10 * SUBNET_SHARE; request++) expect(limits.check(anonymous, inSubnet(1))).toBeGreaterThanOrEqual(1);
    for (let n = 2; n <= SUBNET_SHARE; n++) expect(limits.check(anonymous, inSubnet(n)), `neighbour ${n}`).toBe(0);
    expect(limits.check(anonymous, inSubnet(SUBNET_SHARE + 1))).toBeGreaterThanOrEqual(1);
  });
});

describe("RateLimiter: keys' buckets against a flood of fresh addresses", () => {
  it("keeps a key's spent bucket while one /64 sends from 60,000 fresh addresses (each refused, each an address's bucket)", () => {
    const limits = limiter(1);
    expect(limits.check(keyed('k1'), '203.0.113.1')).toBe(0);
    expect(limits.check(keyed('k1'), '203.0.113.1')).toBe(1000);
    // More than the 50,000 buckets a table keeps; the /64 refuses all but its SUBNET_SHARE.
    for (let n = 1; n <= 60_000; n++) limits.check(anonymous, `2001:db8:0:0:0:0:${(n >> 16).toString(16)}:${(n & 0xffff).toString(16)}`);
    // Before, the key's bucket shared the addresses' table, was pushed out, and came back full.
    expect(limits.check(keyed('k1'), '203.0.113.1')).toBe(1000);
  });
});

describe('RateLimiter per /48', () => {
  const inSite = (n: number) => `2001:db8:7:${n.toString(16)}:0:0:0:1`;

  it('refuses a host taking a fresh /64 of its /48 per request once the /48 spent SITE_SHARE /64s worth of bursts; another /48 is untouched', () => {
    const limits = limiter(1);
    const limit = SUBNET_SHARE * SITE_SHARE;
    const allowed = Array.from({ length: limit + 1 }, (_, n) => limits.check(anonymous, inSite(n + 1)) === 0);
    // Before, each fresh /64 came with a full bucket of its own: all of them went.
    expect(allowed.filter(Boolean)).toHaveLength(limit);
    expect(allowed.at(-1)).toBe(false);
    expect(limits.check(anonymous, '2001:db8:8:1:0:0:0:1')).toBe(0);
  });

  it('spends nothing of the /48 on a request its /64 refused: one /64 over its share cannot lock the rest of its /48 out', () => {
    const limits = limiter(1);
    const inFirstSubnet = (n: number) => `2001:db8:7:0:0:0:0:${n.toString(16)}`;
    for (let n = 1; n <= SUBNET_SHARE; n++) expect(limits.check(anonymous, inFirstSubnet(n))).toBe(0);
    for (let n = SUBNET_SHARE + 1; n <= 20 * SUBNET_SHARE; n++) expect(limits.check(anonymous, inFirstSubnet(n))).toBeGreaterThanOrEqual(1);
    const left = SUBNET_SHARE * (SITE_SHARE - 1);
    for (let n = 1; n <= left; n++) expect(limits.check(anonymous, inSite(n)), `request ${n}`).toBe(0);
    expect(limits.check(anonymous, inSite(left + 1))).toBeGreaterThanOrEqual(1);
  });
});

describe('RateLimiter over time', () => {
  it('refills a /64 at SUBNET_SHARE times the rate, and answers whole seconds to wait', () => {
    let now = 0;
    const limits = new RateLimiter({ requestsPerSecond: 1, burst: 1 }, () => now);
    for (let n = 1; n <= SUBNET_SHARE; n++) expect(limits.check(anonymous, inSubnet(n))).toBe(0);
    expect(limits.check(anonymous, inSubnet(SUBNET_SHARE + 1))).toBe(1);
    // The /64 earns one request back per 1/(16 x rate) seconds.
    now += 1000 / SUBNET_SHARE;
    expect(limits.check(anonymous, inSubnet(SUBNET_SHARE + 2))).toBe(0);
    expect(limits.check(anonymous, inSubnet(SUBNET_SHARE + 3))).toBe(1);
    // An address refused for a long wait is told the whole of it, rounded up.
    const slow = new RateLimiter({ requestsPerSecond: 0.001, burst: 1 }, () => now);
    expect(slow.check(anonymous, '203.0.113.1')).toBe(0);
    expect(slow.check(anonymous, '203.0.113.1')).toBe(1000);
    now += 500;
    expect(slow.check(anonymous, '203.0.113.1')).toBe(1000);
    now += 250;
    expect(slow.check(keyed('k'), '203.0.113.1')).toBe(0);
    expect(slow.check(keyed('k'), '203.0.113.1')).toBe(1000);
  });
});

describe('rateLimit middleware', () => {
  interface Sent {
    status?: number;
    headers: Record<string, string>;
    body?: unknown;
    passed: boolean;
  }
  const run = async (middleware: ReturnType<typeof rateLimit>, principal: Principal | undefined, address: string): Promise<Sent> => {
    const sent: Sent = { headers: {}, passed: false };
    const res = {
      locals: { principal },
      status(code: number) {
        sent.status = code;
        return this;
      },
      setHeader(name: string, value: string) {
        sent.headers[name] = value;
        return this;
      },
      json(body: unknown) {
        sent.body = body;
        return this;
      },
    };
    await middleware({ address } as unknown as Request, res as unknown as Response, () => {
      sent.passed = true;
    });
    return sent;
  };
  const addressOf = (request: unknown) => (request as { address: string }).address;

  it('passes everything when no rate limit is configured', async () => {
    const none = rateLimit(null, addressOf);
    for (let request = 0; request < 5; request++) expect(await run(none, anonymous, '203.0.113.1')).toEqual({ headers: {}, passed: true });
  });

  it('answers 429 with Retry-After and a typed GraphQL error past the burst, counting the address the resolver gives', async () => {
    const middleware = rateLimit(limiter(1), addressOf);
    expect((await run(middleware, anonymous, '203.0.113.1')).passed).toBe(true);
    expect((await run(middleware, anonymous, '203.0.113.1'))).toEqual({
      status: 429,
      headers: { 'retry-after': '1000' },
      body: { errors: [{ message: 'too many requests from this client; retry after 1000 s (limits.rateLimit)', extensions: { code: 'QUERY_TOO_COMPLEX', retryAfterSeconds: 1000 } }] },
      passed: false,
    });
    expect((await run(middleware, anonymous, '203.0.113.2')).passed).toBe(true);
    expect((await run(middleware, keyed('k'), '203.0.113.1')).passed).toBe(true);
  });
});
