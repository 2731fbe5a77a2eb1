import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SITE_SHARE, SUBNET_SHARE } from '../../src/server/address-groups.js';
import { MAX_REMEMBERED, SITE_TABLE_SHARE } from '../../src/server/auth-failures.js';
import { errorCodes, type Harness, startHarness, withClients, withLimits } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const KEY = 'auth-failures-viewer-key-0123456789';
const WRONG = 'Bearer not-a-key-of-this-gateway-0000';
const PER_ADDRESS = 3;
/**
 * The /48 case sends 1,562 requests one after another: some 6 s on a quiet machine, past vitest's
 * 30 s under a load of 14-21 on two cores. Nothing in it measures time; only the work is slow.
 */
const SLOW_UNDER_LOAD_MS = 120_000;
const REFUSED_LINE = 'requests refused: too many failed authentications from this address (limits.authFailures)';

/** A connection_init with `authorization`, as if forwarded for `forwardedFor`: 'ack', or the close the server sent instead. */
function connect(graphqlUrl: string, forwardedFor: string, authorization: string): Promise<'ack' | { code: number; reason: string }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl(graphqlUrl), 'graphql-transport-ws', { headers: { 'x-forwarded-for': forwardedFor } });
    socket.on('error', () => {});
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization } })));
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type !== 'connection_ack') return;
      resolve('ack');
      socket.terminate();
    });
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
}

/**
 * Failed authentications were not limited: a client could try keys as fast as it could
 * send, each costing a 401. Past `limits.authFailures.perAddress` failures in the window
 * every request from that client address is refused, a good key's too, over HTTP and
 * WebSocket alike (one count for both), until the window ends.
 */
describe('failed authentications per client address (limits.authFailures)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        withClients([{ name: 'dashboard', key: KEY, roles: ['viewer'] }]),
        // A window longer than any test run: nothing comes back while it runs.
        withLimits({ authFailures: { perAddress: PER_ADDRESS, windowMs: 3_600_000 } }),
        // Loopback is the proxy, so X-Forwarded-For picks the client address.
        (config) => ({ ...config, listen: { ...(config.listen as object), trustedProxies: ['loopback'] } }),
      ],
    });
  });
  afterAll(() => harness.close());

  const ask = (forwardedFor: string, authorization?: string) =>
    harness.gql('{ providers { id } }', undefined, { headers: { 'x-forwarded-for': forwardedFor, ...(authorization === undefined ? {} : { authorization }) } });

  it('over HTTP: after the failures allowed, even a good key from that address gets 429 with Retry-After; another address is answered', async () => {
    const guesser = '203.0.113.20';
    for (let attempt = 0; attempt < PER_ADDRESS; attempt++) expect((await ask(guesser, WRONG)).status).toBe(401);
    const refused = await ask(guesser, `Bearer ${KEY}`);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3000);
    expect(errorCodes(refused)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(refused.errors?.[0]).toEqual({
      message: `too many failed authentications from this address; retry after ${retryAfter} s (limits.authFailures)`,
      extensions: { code: 'QUERY_TOO_COMPLEX', retryAfterSeconds: retryAfter },
    });
    // Further guesses are not even looked at.
    expect((await ask(guesser, WRONG)).status).toBe(429);
    expect((await ask(guesser)).status).toBe(429);
    const other = await ask('203.0.113.21', `Bearer ${KEY}`);
    expect([other.status, other.errors]).toEqual([200, undefined]);
  });

  it('over WebSocket: an address held back by its HTTP failures is closed with 4429 at connection_init, its good key too', async () => {
    expect(await connect(harness.gateway.graphqlUrl, '203.0.113.20', `Bearer ${KEY}`)).toEqual({
      code: 4429,
      reason: expect.stringMatching(/^too many failed authentications from this address; retry after \d+ s \(limits\.authFailures\)$/),
    });
    expect(await connect(harness.gateway.graphqlUrl, '203.0.113.21', `Bearer ${KEY}`)).toBe('ack');
  });

  it('WebSocket failures count as HTTP ones do: one count for both entry points', async () => {
    const guesser = '203.0.113.30';
    for (let attempt = 0; attempt < PER_ADDRESS; attempt++) expect(await connect(harness.gateway.graphqlUrl, guesser, WRONG)).toMatchObject({ code: 4403 });
    expect((await ask(guesser, `Bearer ${KEY}`)).status).toBe(429);
    expect(await connect(harness.gateway.graphqlUrl, guesser, `Bearer ${KEY}`)).toMatchObject({ code: 4429 });
  });

  it("counts an IPv6 /64 together too: a host taking a new address per guess is held back once the /64 has failed SUBNET_SHARE addresses' worth", async () => {
    const inSubnet = (n: number) => `2001:db8:7:7::${n.toString(16)}`;
    for (let n = 1; n <= PER_ADDRESS * SUBNET_SHARE; n++) expect((await ask(inSubnet(n), WRONG)).status).toBe(401);
    const refused = await ask(inSubnet(0xffff), `Bearer ${KEY}`);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.message).toMatch(/^too many failed authentications from this address's \/64; /);
    expect((await ask('2001:db8:7:8::1', `Bearer ${KEY}`)).status).toBe(200);
  });

  it('logs one throttled line per address held back, not one per failure or refusal, and counts both in /metrics', async () => {
    const lines = harness.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === REFUSED_LINE);
    // 203.0.113.20 was refused four times and 203.0.113.30 twice, each within one period; the /64 once.
    expect(lines.map((line) => line.group)).toEqual(['203.0.113.20', '203.0.113.30', '2001:db8:7:7::/64']);
    expect(lines[0]).toMatchObject({ level: 40, remote: '203.0.113.20', per: 'address', limit: PER_ADDRESS, alsoRefusedSinceLastLine: 0 });
    expect(lines[2]).toMatchObject({ per: 'subnet', limit: PER_ADDRESS * SUBNET_SHARE });
    const metrics = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^backup_graph_authentication_failures_total ${2 * PER_ADDRESS + PER_ADDRESS * SUBNET_SHARE}$`, 'm'));
    expect(metrics).toMatch(/^backup_graph_authentication_refusals_total 7$/m);
  });

  it("counts an IPv6 /48 together as well: a host taking a new /64 per guess is held back once the /48 has failed SITE_SHARE /64s' worth", async () => {
    // Counted by /64 alone, a /48 had 65,536 fresh limits: guesses without end.
    const inSite = (n: number) => `2001:db8:9:${n.toString(16)}::1`;
    for (let n = 1; n <= PER_ADDRESS * SUBNET_SHARE * SITE_SHARE; n++) expect((await ask(inSite(n), WRONG)).status).toBe(401);
    const refused = await ask(inSite(0xffff), `Bearer ${KEY}`);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.message).toMatch(/^too many failed authentications from this address's \/48; retry after \d+ s/);
    expect(await connect(harness.gateway.graphqlUrl, inSite(0xfffe), `Bearer ${KEY}`)).toMatchObject({ code: 4429 });
    expect((await ask('2001:db8:a:1::1', `Bearer ${KEY}`)).status).toBe(200);
  });
});

describe('failed authentications under a raised limits.authFailures.perAddress', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        withClients([{ name: 'dashboard', key: KEY, roles: ['viewer'] }]),
        withLimits({ authFailures: { perAddress: 1_000, windowMs: 3_600_000 } }),
        (config) => ({ ...config, listen: { ...(config.listen as object), trustedProxies: ['loopback'] } }),
      ],
    });
  });
  afterAll(() => harness.close());

  it('holds a /48 guessing from a fresh /64 each time to its share of the table: 1,562 failures, not 64,000', async () => {
    const ceiling = Math.floor((MAX_REMEMBERED * SITE_TABLE_SHARE - 1) / 2);
    const ask = (forwardedFor: string, authorization: string) => harness.gql('{ providers { id } }', undefined, { headers: { 'x-forwarded-for': forwardedFor, authorization } });
    const statuses = new Map<number, number>();
    for (let n = 1; n <= ceiling; n++) {
      const { status } = await ask(`2001:db8:c:${n.toString(16)}::1`, WRONG);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: ceiling });
    const refused = await ask(`2001:db8:c:${(ceiling + 1).toString(16)}::1`, `Bearer ${KEY}`);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.message).toMatch(/^too many failed authentications from this address's \/48; /);
    expect((await ask('2001:db8:d:1::1', `Bearer ${KEY}`)).status).toBe(200);
  }, SLOW_UNDER_LOAD_MS);
});
