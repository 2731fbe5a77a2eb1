import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SUBNET_SHARE } from '../../src/server/address-groups.js';
import { MAX_WAITING_PER_ADDRESS } from '../../src/server/ws-server.js';
import { type Harness, startHarness, withClients, withLimits } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const KEY = 'proxy-test-viewer-key-0123456789';
const ATTACKER = '203.0.113.7';
const NEIGHBOUR = '203.0.113.8';

/** A WebSocket that never sends connection_init, arriving as if forwarded for `forwardedFor`. */
function silentSocket(graphqlUrl: string, forwardedFor: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(graphqlUrl), 'graphql-transport-ws', { headers: { 'x-forwarded-for': forwardedFor } });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Opens a keyed connection forwarded for `forwardedFor`: 'ack', or the close code the server sent instead. */
function connect(graphqlUrl: string, forwardedFor: string): Promise<'ack' | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl(graphqlUrl), 'graphql-transport-ws', { headers: { 'x-forwarded-for': forwardedFor } });
    socket.on('error', () => {});
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${KEY}` } })));
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type !== 'connection_ack') return;
      resolve('ack');
      socket.terminate();
    });
    socket.once('close', (code) => resolve(code));
  });
}

async function anonymousStatus(harness: Harness, forwardedFor: string): Promise<number> {
  const response = await fetch(harness.gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  await response.arrayBuffer();
  return response.status;
}

async function withSilentSockets<T>(harness: Harness, forwardedFor: string, body: () => Promise<T>): Promise<T> {
  const silent = await Promise.all(Array.from({ length: MAX_WAITING_PER_ADDRESS }, () => silentSocket(harness.gateway.graphqlUrl, forwardedFor)));
  try {
    return await body();
  } finally {
    for (const socket of silent) socket.terminate();
  }
}

const rateLimit = { requestsPerSecond: 0.001, burst: 1 };

describe('behind a trusted proxy (listen.trustedProxies): limits count the client named by X-Forwarded-For', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        withClients([{ name: 'dashboard', key: KEY, roles: ['viewer'] }], { allowAnonymous: true }),
        withLimits({ rateLimit }),
        (config) => ({ ...config, listen: { ...(config.listen as object), trustedProxies: ['loopback'] } }),
      ],
    });
  });
  afterAll(() => harness.close());

  it('sockets waiting for connection_init from one client do not lock out another client of the same proxy', async () => {
    await withSilentSockets(harness, ATTACKER, async () => {
      expect(await connect(harness.gateway.graphqlUrl, ATTACKER)).toBe(4429);
      expect(await connect(harness.gateway.graphqlUrl, NEIGHBOUR)).toBe('ack');
    });
  });

  it('a WebSocket client forwarded for an address node accepts and ipaddr.js does not connects (it crashed the process)', async () => {
    expect(await connect(harness.gateway.graphqlUrl, '64:ff9b::1.2.3.4')).toBe('ack');
    expect(await connect(harness.gateway.graphqlUrl, 'fe80::1%eth0.100')).toBe('ack');
  });

  it('an anonymous caller that spent its rate leaves the next client of the same proxy its own bucket', async () => {
    expect(await anonymousStatus(harness, '198.51.100.1')).toBe(200);
    expect(await anonymousStatus(harness, '198.51.100.1')).toBe(429);
    expect(await anonymousStatus(harness, '198.51.100.2')).toBe(200);
    // The proxy appends the address it saw: what the client wrote before it is not believed.
    expect(await anonymousStatus(harness, '198.51.100.2, 198.51.100.1')).toBe(429);
  });

  it('one client is one bucket however its address is spelt; separate IPv6 hosts are separate', async () => {
    expect(await anonymousStatus(harness, '203.0.113.9')).toBe(200);
    expect(await anonymousStatus(harness, '::ffff:203.0.113.9')).toBe(429);
    expect(await anonymousStatus(harness, '2001:db8:5::1')).toBe(200);
    expect(await anonymousStatus(harness, '2001:DB8:5:0::1')).toBe(429);
    expect(await anonymousStatus(harness, '2001:db8:5::2')).toBe(200);
    // Forms that crashed the key (a 500 with a stack over HTTP, the process from a WebSocket upgrade).
    expect(await anonymousStatus(harness, '64:ff9b::1.2.3.4')).toBe(200);
    expect(await anonymousStatus(harness, 'fe80::1%br-1a2b')).toBe(200);
  });

  it('a host taking a new IPv6 address of its /64 per request is refused once the /64 spent 16 clients worth; the next /64 is not', async () => {
    const statuses: number[] = [];
    for (let n = 1; n <= SUBNET_SHARE + 1; n++) statuses.push(await anonymousStatus(harness, `2001:db8:77::${n.toString(16)}`));
    expect(statuses).toEqual([...Array<number>(SUBNET_SHARE).fill(200), 429]);
    expect(await anonymousStatus(harness, '2001:db8:78::1')).toBe(200);
  });

  it('a hop that is not an IP address is no bucket of its own: made-up values count as the proxy that sent them', async () => {
    expect(await anonymousStatus(harness, 'x'.repeat(8_000))).toBe(200);
    expect(await anonymousStatus(harness, 'y'.repeat(8_000))).toBe(429);
    expect(await anonymousStatus(harness, 'not-an-address')).toBe(429);
  });
});

describe('without trustedProxies, X-Forwarded-For is not believed (a client cannot pick its own bucket)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [withClients([{ name: 'dashboard', key: KEY, roles: ['viewer'] }], { allowAnonymous: true }), withLimits({ rateLimit })],
    });
  });
  afterAll(() => harness.close());

  it('waiting sockets are counted by the peer address whatever the header says', async () => {
    await withSilentSockets(harness, ATTACKER, async () => {
      expect(await connect(harness.gateway.graphqlUrl, NEIGHBOUR)).toBe(4429);
    });
  });

  it('the anonymous rate limit is per peer address whatever the header says', async () => {
    expect(await anonymousStatus(harness, '198.51.100.1')).toBe(200);
    expect(await anonymousStatus(harness, '198.51.100.2')).toBe(429);
  });
});
