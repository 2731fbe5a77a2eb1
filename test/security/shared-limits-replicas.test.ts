import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { type GraphQLAnswer, type Harness, startHarness, withClients, withLimits } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { wsClient, wsRun } from '../helpers/ws.js';

/**
 * `limits.rateLimit` and `limits.authFailures` were counted in each gateway process: two
 * replicas behind a balancer allowed a client twice the rate and an address twice the guesses.
 * With Redis, both replicas count together; a replica whose Redis fails counts alone.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const KEYS = {
  first: 'shared-rate-first-key-0123456789',
  second: 'shared-rate-second-key-0123456789',
  third: 'shared-rate-third-key-0123456789',
  fourth: 'shared-rate-fourth-key-0123456789',
};
const WRONG = 'Bearer not-a-key-of-this-gateway-0000';
const QUERY = '{ providers { id } }';
const BURST = 3;
const PER_ADDRESS = 3;

describe.skipIf(!redis.url)(redisSuite('rate limit and failed authentications counted across two replicas', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const stores = redis.url ? [new RedisStore(redis.url, prefix), new RedisStore(redis.url, prefix), new RedisStore(redis.url, prefix)] : [];
  let harness: Harness;
  let other: RunningGateway;
  /** A third replica whose Redis connection is closed once it has started. */
  let cutOff: RunningGateway;

  beforeAll(async () => {
    await Promise.all(stores.map((store) => store.ready()));
    harness = await startHarness({
      kinds: ['zomro'],
      store: stores[0]!,
      configure: [
        withClients(
          [
            { name: 'first', key: KEYS.first, roles: ['viewer'] },
            { name: 'second', key: KEYS.second, roles: ['viewer'] },
            { name: 'third', key: KEYS.third, roles: ['viewer'] },
            { name: 'fourth', key: KEYS.fourth, roles: ['viewer'] },
          ],
          { allowAnonymous: true },
        ),
        // A slow refill and a long window: nothing comes back while the test runs, whatever the machine's speed.
        withLimits({ rateLimit: { requestsPerSecond: 0.05, burst: BURST }, authFailures: { perAddress: PER_ADDRESS, windowMs: 3_600_000 } }),
        // Loopback is the proxy, so X-Forwarded-For picks the client address.
        (config) => ({ ...config, listen: { ...(config.listen as object), trustedProxies: ['loopback'] } }),
      ],
    });
    other = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1]! });
    cutOff = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[2]! });
    (stores[2]!.sharedConnection().client as { disconnect(): void }).disconnect();
  });
  afterAll(async () => {
    await cutOff?.close();
    await other?.close();
    await harness?.close();
  });

  const ask = async (gateway: RunningGateway, headers: Record<string, string>): Promise<GraphQLAnswer<unknown>> => {
    const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: QUERY }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, ...(JSON.parse(text) as Pick<GraphQLAnswer<unknown>, 'data' | 'errors'>) };
  };
  const withKey = (key: string) => ({ authorization: `Bearer ${key}` });

  it("rate limit: a client's burst is spent across both replicas, and each then refuses it with 429 and Retry-After", async () => {
    const [first, second] = [harness.gateway, other];
    expect((await ask(first, withKey(KEYS.first))).status).toBe(200);
    expect((await ask(first, withKey(KEYS.first))).status).toBe(200);
    expect((await ask(second, withKey(KEYS.first))).status).toBe(200);
    // Counted per replica, the second had two more to give.
    const refused = await ask(second, withKey(KEYS.first));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', retryAfterSeconds: Number(refused.headers.get('retry-after')) });
    expect((await ask(first, withKey(KEYS.first))).status).toBe(429);
    // Another client is not held back.
    expect((await ask(second, withKey(KEYS.second))).status).toBe(200);
  });

  it('rate limit: a WebSocket operation on a replica that learned the window is full is refused too', async () => {
    const client = wsClient(other.graphqlUrl, KEYS.first);
    try {
      const answer = await wsRun(client, QUERY);
      expect(answer.refused).toBe(true);
      expect(answer.errors?.[0]?.message).toMatch(/^too many requests from this client; retry after \d+ s \(limits\.rateLimit\)$/);
    } finally {
      await client.dispose();
    }
  });

  it("rate limit: a WebSocket operation waits for the replicas' count, so the first one on a replica that has not seen the client is refused once its burst is spent", async () => {
    for (let request = 0; request < BURST; request++) expect((await ask(harness.gateway, withKey(KEYS.fourth))).status).toBe(200);
    const client = wsClient(other.graphqlUrl, KEYS.fourth);
    try {
      // Counted behind it, the operation ran: this replica's own bucket for the key was full.
      const answer = await wsRun(client, QUERY);
      expect(answer.refused).toBe(true);
      expect(answer.errors?.[0]?.message).toMatch(/^too many requests from this client; retry after \d+ s \(limits\.rateLimit\)$/);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    } finally {
      await client.dispose();
    }
  });

  it("failed authentications: an address's failures on both replicas add up, and the next request is refused with 429, a good key's too", async () => {
    const guesser = { 'x-forwarded-for': '203.0.113.40' };
    expect((await ask(harness.gateway, { ...guesser, authorization: WRONG })).status).toBe(401);
    expect((await ask(harness.gateway, { ...guesser, authorization: WRONG })).status).toBe(401);
    expect((await ask(other, { ...guesser, authorization: WRONG })).status).toBe(401);
    // Counted per replica, the second had two more guesses to give.
    const refused = await ask(other, { ...guesser, ...withKey(KEYS.second) });
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.message).toMatch(/^too many failed authentications from this address; retry after \d+ s \(limits\.authFailures\)$/);
    // Another address is answered.
    expect((await ask(other, { 'x-forwarded-for': '203.0.113.41', ...withKey(KEYS.second) })).status).toBe(200);
  });

  it('a replica whose Redis fails counts alone (the burst, then 429) and counts each failure in backup_graph_store_failures_total', async () => {
    for (let request = 0; request < BURST; request++) expect((await ask(cutOff, withKey(KEYS.third))).status).toBe(200);
    expect((await ask(cutOff, withKey(KEYS.third))).status).toBe(429);
    for (let attempt = 0; attempt < PER_ADDRESS; attempt++) expect((await ask(cutOff, { 'x-forwarded-for': '203.0.113.50', authorization: WRONG })).status).toBe(401);
    expect((await ask(cutOff, { 'x-forwarded-for': '203.0.113.50', ...withKey(KEYS.third) })).status).toBe(429);
    const metrics = await (await fetch(`${cutOff.adminUrl}/metrics`)).text();
    expect(Number(/^backup_graph_store_failures_total\{store="rate_limit",failure="error"\} (\d+)$/m.exec(metrics)?.[1])).toBe(BURST);
    expect(Number(/^backup_graph_store_failures_total\{store="auth_failures",failure="error"\} (\d+)$/m.exec(metrics)?.[1])).toBe(PER_ADDRESS);
  });
});
