import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness, withProviderSettings } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * Attacks on the store's connection-trouble lines (redis-connection-trouble.ts) with REDIS_URL's
 * secrets in every place a URL can hold one: the password, a username alone (read as the
 * password by Redis's AUTH of one argument), a user with a password, the query string
 * (ioredis reads `?password=`), percent-encoded characters, and a TLS url at a port that speaks no
 * TLS. Each store is used unconnected, as a replica starting while Redis is away; the read cache
 * fails and its lines are written. All held: no line holds any secret, encoded or decoded.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const READ_CACHE_LINE = 'read cache store failed; reading from the providers';
const READ = '{ instances(first: 5) { totalCount } }';

/** A port that accepts and closes at once: nothing Redis or TLS speaks. */
async function closingPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The secrets of each URL, as written and as decoded. */
const SECRETS = ['pw-5e1f0a', 'user-7c2d9b', 'query-pw-41aa0e', 'enc%40pw-93b1', 'enc@pw-93b1', 'user-pw-b8e2c7'];

describe.skipIf(!redis.url)(redisSuite('REDIS_URL secrets never in a store line', redis), () => {
  const redisPort = redis.url ? new URL(redis.url).port || '6379' : '6379';
  const cases: Array<[string, (port: number) => string, 'refused' | 'redis' | 'closing']> = [
    ['the password, nothing listening', (port) => `redis://:pw-5e1f0a@127.0.0.1:${port}/0`, 'refused'],
    ['a username alone, nothing listening', (port) => `redis://user-7c2d9b@127.0.0.1:${port}`, 'refused'],
    ['the query string, nothing listening', (port) => `redis://127.0.0.1:${port}/0?password=query-pw-41aa0e`, 'refused'],
    ['a percent-encoded password, nothing listening', (port) => `redis://:enc%40pw-93b1@127.0.0.1:${port}`, 'refused'],
    ['a user with a password Redis refuses', () => `redis://user-7c2d9b:user-pw-b8e2c7@127.0.0.1:${redisPort}`, 'redis'],
    ['a TLS url at a port that closes at once', (port) => `rediss://user-7c2d9b:user-pw-b8e2c7@127.0.0.1:${port}?password=query-pw-41aa0e`, 'closing'],
  ];

  it.each(cases)('%s', async (_what, urlOf, kind) => {
    const closing = kind === 'closing' ? await closingPort() : null;
    const refused = kind === 'refused' ? await closingPort() : null;
    // A port that was open and is closed now: nothing listens there.
    if (refused) await refused.close();
    const port = closing?.port ?? refused?.port ?? 0;
    const store = new RedisStore(urlOf(port), `backup-graph-test:${randomUUID()}:`);
    const harness = await startHarness({ kinds: ['zomro'], store, configure: withProviderSettings({ cacheTtlMs: 60_000 }), storeFailureLineMs: 1 });
    try {
      const lines = await eventually(
        async () => {
          await harness.gql(READ);
          return harness.logs.filter((line) => line.includes(READ_CACHE_LINE));
        },
        (found) => found.some((line) => /"connection":"|"failure":"(?!timeout)/.test(line)),
        { timeoutMs: 25_000, intervalMs: 100 },
      );
      expect(lines.length).toBeGreaterThan(0);
      for (const line of harness.logs) for (const secret of SECRETS) expect(line).not.toContain(secret);
    } finally {
      await harness.close();
      await store.close().catch(() => {});
      await closing?.close();
    }
  }, 40_000);
});
