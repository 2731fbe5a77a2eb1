import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/providers/registry.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { freePort, spawnGateway } from '../helpers/gateway-process.js';
import { startHarness, withLimits } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy } from '../helpers/redis-proxy.js';

/**
 * A stop right after a slow Redis reply: the replicas' rate count (up to 250 ms) gave up on its
 * answer, the request was answered without it, and the stop's QUIT waits behind that answer on the
 * same connection. Redis answers both, then closes: a clean close, exit 0. A Redis that does not
 * answer QUIT is still reported, and the close still ends on its own.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

/** The rate count's script names its keys `<prefix>limits:rate:...`. */
const RATE_COUNT = /limits:rate:/;
/** Far past the rate count's own wait (250 ms), well inside QUIT's (5 s): the request is answered, and the stop begins, while the reply is held. */
const HELD_MS = 1_500;
const QUERY = JSON.stringify({ query: '{ __typename }' });

describe.skipIf(!redis.url)(redisSuite('stopping right after a Redis reply the gateway stopped waiting for', redis), () => {
  it('closes cleanly in process: Redis answered QUIT, after the held reply', async () => {
    const proxy = await startRedisProxy(redis.url as string);
    const store = new RedisStore(proxy.url, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    const harness = await startHarness({ kinds: ['zomro'], store, configure: [withLimits({ rateLimit: { requestsPerSecond: 100, burst: 100 } })] });
    try {
      const held = proxy.delayReplyTo(RATE_COUNT, HELD_MS);
      const answer = await fetch(`${harness.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY });
      expect(answer.status).toBe(200);
      await answer.text();
      const closed = harness.gateway.close().then(
        () => 'closed',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      await held;
      expect(await closed).toBe('closed');
    } finally {
      await harness.close().catch(() => undefined);
      await proxy.close();
    }
  }, 30_000);

  it('guard: a connection Redis closes without answering QUIT is still a failed close', async () => {
    const proxy = await startRedisProxy(redis.url as string);
    const store = new RedisStore(proxy.url, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    try {
      // Redis runs QUIT, and the connection is lost before its answer: nothing says the writes before it landed.
      const dropped = proxy.dropReplyTo(/QUIT/i);
      const closed = store.close().then(
        () => 'closed',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      await dropped;
      expect(await closed).toMatch(/^Redis \(shared state\) did not answer QUIT: Connection is closed\.; the connection was dropped/);
    } finally {
      await proxy.close();
    }
  }, 30_000);

  it('exits 0 on SIGTERM with no failed shutdown step (dist/main.js)', async () => {
    const simulator = await startSimulator('zomro');
    const proxy = await startRedisProxy(redis.url as string);
    const directory = mkdtempSync(join(tmpdir(), 'backup-graph-slow-reply-stop-'));
    const configFile = join(directory, 'config.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({
        listen: { port: 0, host: '127.0.0.1' },
        admin: { port: 0 },
        allowAnonymous: true,
        logLevel: 'info',
        limits: { rateLimit: { requestsPerSecond: 100, burst: 100 } },
        providers: [simulator.accountConfig('zomro-slow-reply-stop')],
      }),
    );
    const gateway = await spawnGateway({ configFile, port: await freePort(), env: { REDIS_URL: proxy.url, SHUTDOWN_READYZ_GRACE_MS: '0', LOG_LEVEL: 'info' } });
    try {
      const held = proxy.delayReplyTo(RATE_COUNT, HELD_MS);
      const answer = await fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY });
      expect(answer.status).toBe(200);
      await answer.text();
      const code = await gateway.stop('SIGTERM');
      await held;
      const output = gateway.output();
      expect(output).not.toMatch(/shutdown step failed|did not answer QUIT/);
      expect(code, output).toBe(0);
    } finally {
      gateway.child.kill('SIGKILL');
      await proxy.close();
      await simulator.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  }, 120_000);
});
