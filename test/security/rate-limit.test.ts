import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE_SHARE, SUBNET_SHARE } from '../../src/server/address-groups.js';
import { errorCodes, type Harness, startHarness, withClients, withLimits, withSettings } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

const KEYS = { first: 'rate-first-key-0123456789', second: 'rate-second-key-0123456789' };
const QUERY = '{ providers { id } }';

describe('per-client request rate (limits.rateLimit)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        withClients(
          [
            { name: 'first', key: KEYS.first, roles: ['viewer'] },
            { name: 'second', key: KEYS.second, roles: ['viewer'] },
          ],
          { allowAnonymous: true },
        ),
        // A slow refill: nothing comes back while the test runs, whatever the machine's speed.
        withLimits({ rateLimit: { requestsPerSecond: 0.05, burst: 3 } }),
      ],
    });
  });
  afterAll(() => harness.close());

  it('answers 429 with Retry-After and a JSON GraphQL error once a client has used its burst', async () => {
    for (let index = 0; index < 3; index++) expect((await harness.gql(QUERY, undefined, { key: KEYS.first })).status).toBe(200);
    const refused = await harness.gql(QUERY, undefined, { key: KEYS.first });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(errorCodes(refused)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(refused.errors?.[0]?.extensions?.retryAfterSeconds).toBe(Number(refused.headers.get('retry-after')));
  });

  it('keys the bucket by client key: another client is not held back', async () => {
    expect((await harness.gql(QUERY, undefined, { key: KEYS.second })).status).toBe(200);
  });

  it('shares one bucket between HTTP and WebSocket: a client over its rate gets a typed error over either', async () => {
    // The first client used its burst over HTTP above; over WebSocket it is still held back.
    const client = wsClient(harness.gateway.graphqlUrl, KEYS.first);
    try {
      const answer = await wsRun(client, QUERY);
      expect((answer.errors ?? []).map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(answer.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    } finally {
      await client.dispose();
    }
  });

  it('keys anonymous callers by address', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 4; index++) statuses.push((await harness.gql(QUERY)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe('no rate limit by default', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it('takes many requests in a row', async () => {
    for (let index = 0; index < 20; index++) expect((await harness.gql(QUERY)).status).toBe(200);
  });
});

describe('anonymous request rate per IPv6 /48 (limits.rateLimit)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        // The /48's bucket refills at requestsPerSecond x 64: at 0.01 a loaded run's 65 requests
        // (3 s and more) won it a token back and the 66th went through; at 0.0001 that takes 156 s.
        withLimits({ rateLimit: { requestsPerSecond: 0.0001, burst: 1 } }),
        // Loopback is the proxy, so X-Forwarded-For picks the client address.
        withSettings({ listen: { host: '127.0.0.1', port: 0, trustedProxies: ['loopback'] } }),
      ],
    });
  });
  afterAll(() => harness.close());

  const ask = (forwardedFor: string) => harness.gql(QUERY, undefined, { headers: { 'x-forwarded-for': forwardedFor } });

  it("refuses a host taking a fresh /64 of its /48 per request once the /48 spent SITE_SHARE /64s' worth; another /48 is answered", async () => {
    const limit = SUBNET_SHARE * SITE_SHARE;
    const statuses: number[] = [];
    // Before, each /64 of the /48 came with full buckets of its own: every request went.
    for (let n = 1; n <= limit + 1; n++) statuses.push((await ask(`2001:db8:b0:${n.toString(16)}::1`)).status);
    expect(statuses.slice(0, limit)).toEqual(Array<number>(limit).fill(200));
    const refused = await ask(`2001:db8:b0:${(limit + 2).toString(16)}::1`);
    expect(refused.status).toBe(429);
    expect(errorCodes(refused)).toEqual(['QUERY_TOO_COMPLEX']);
    expect((await ask('2001:db8:b1:1::1')).status).toBe(200);
  });
});
