import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { type Harness, startHarness, withClients, withLimits } from '../helpers/harness.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { rawConnection } from '../helpers/ws.js';

/**
 * A failed authentication at a WebSocket connection_init is counted across replicas (Redis)
 * before its connection is closed, as an HTTP 401 waits for its count. Closed at once, the
 * client's next connection reached the replica before the count that holds its address back
 * had answered, and a guess (or a good key from the held address) got through.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const KEY = 'ws-auth-failures-good-key-0123456789';
const WRONG = 'not-a-key-of-this-gateway-0000';
const PER_ADDRESS = 3;
/**
 * Within the shared count's wait (250 ms), so the count answers in time: only later than a reconnect
 * (a few ms on loopback). 200 left 50 ms for a loaded machine's scheduling, and the test failed there once.
 */
const REDIS_REPLY_DELAY_MS = 100;

describe.skipIf(!redis.url)(redisSuite('failed WebSocket authentications counted across replicas before the close', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let harness: Harness;
  let other: RunningGateway;
  let slowStore: RedisStore;

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    const store = new RedisStore(redis.url as string, prefix);
    slowStore = new RedisStore(proxy.url, prefix);
    await Promise.all([store.ready(), slowStore.ready()]);
    harness = await startHarness({
      kinds: ['zomro'],
      store,
      configure: [
        withClients([{ name: 'good', key: KEY, roles: ['viewer'] }], { allowAnonymous: false }),
        withLimits({ authFailures: { perAddress: PER_ADDRESS, windowMs: 3_600_000 } }),
        (config) => ({ ...config, listen: { ...(config.listen as object), trustedProxies: ['loopback'] } }),
      ],
    });
    other = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: slowStore });
  });
  afterAll(async () => {
    await other?.close();
    await harness?.close();
    await proxy?.close();
  });

  it("closes a failed connection_init only once the replicas' count has answered, so the address's next connection is refused", async () => {
    const guesser = { 'x-forwarded-for': '203.0.113.70' };
    for (let attempt = 1; attempt < PER_ADDRESS; attempt++) {
      const refused = await fetch(harness.gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${WRONG}`, ...guesser },
        body: JSON.stringify({ query: '{ providers { id } }' }),
      });
      expect(refused.status).toBe(401);
      await refused.text();
    }
    // The last failure the limit allows, on the other replica, whose Redis answers its count late.
    const delayed = proxy.delayReplyTo(/limits:auth:address/, REDIS_REPLY_DELAY_MS);
    const guess = rawConnection(other.graphqlUrl, WRONG, guesser);
    expect((await guess.closed).code).toBe(4403);
    const next = rawConnection(other.graphqlUrl, KEY, guesser);
    expect(await next.acknowledged).toBe(false);
    expect(await next.closed).toMatchObject({ code: 4429, reason: expect.stringMatching(/^too many failed authentications from this address; retry after \d+ s \(limits\.authFailures\)$/) });
    await delayed;
  });
});
