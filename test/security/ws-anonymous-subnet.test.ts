import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SITE_SHARE, SUBNET_SHARE } from '../../src/server/address-groups.js';
import { type Harness, startHarness, withLimits } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const PER_CLIENT = 2;

/** An anonymous connection forwarded for `forwardedFor`, kept open: 'ack', or the close code the server sent instead. */
function connect(graphqlUrl: string, forwardedFor: string, open: WebSocket[]): Promise<'ack' | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl(graphqlUrl), 'graphql-transport-ws', { headers: { 'x-forwarded-for': forwardedFor } });
    open.push(socket);
    socket.on('error', () => {});
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') resolve('ack');
    });
    socket.once('close', (code) => resolve(code));
  });
}

describe('anonymous WebSocket connections per client: an IPv6 /64 shares 16 addresses worth', () => {
  let harness: Harness;
  const open: WebSocket[] = [];
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        withLimits({ maxWsConnectionsPerClient: PER_CLIENT, maxWsConnections: 200 }),
        (config) => ({ ...config, listen: { ...(config.listen as object), trustedProxies: ['loopback'] } }),
      ],
    });
  });
  afterAll(async () => {
    for (const socket of open) socket.terminate();
    await harness.close();
  });

  it('a host taking a new address of its /64 per connection is refused (4429) once the /64 holds 16 addresses worth; each address keeps its own cap, and the next /64 connects', async () => {
    const answers: Array<'ack' | number> = [];
    for (let host = 1; host <= SUBNET_SHARE + 4; host++) {
      for (let connection = 0; connection < PER_CLIENT; connection++) answers.push(await connect(harness.gateway.graphqlUrl, `2001:db8:99::${host.toString(16)}`, open));
    }
    // Before, every address of the /64 had its own cap: all 40 connected, and a /64 could take the whole total cap.
    expect(answers.filter((answer) => answer === 'ack')).toHaveLength(PER_CLIENT * SUBNET_SHARE);
    expect(answers.slice(PER_CLIENT * SUBNET_SHARE)).toEqual(Array<number>(PER_CLIENT * 4).fill(4429));
    expect(await connect(harness.gateway.graphqlUrl, '2001:db8:9a::1', open)).toBe('ack');
    // One address still has its own cap within the /64's share.
    expect(await connect(harness.gateway.graphqlUrl, '2001:db8:9b::1', open)).toBe('ack');
    expect(await connect(harness.gateway.graphqlUrl, '2001:db8:9b::1', open)).toBe('ack');
    expect(await connect(harness.gateway.graphqlUrl, '2001:db8:9b::1', open)).toBe(4429);
  });

  it('a closed connection gives its place back to its address and its /64', async () => {
    const own: WebSocket[] = [];
    expect(await connect(harness.gateway.graphqlUrl, '2001:db8:99::1', own)).toBe(4429);
    const first = open[0]!;
    const closed = new Promise((resolve) => first.once('close', resolve));
    first.close();
    await closed;
    expect(await connect(harness.gateway.graphqlUrl, '2001:db8:99::1', open)).toBe('ack');
  });
});

describe("anonymous WebSocket connections per client: an IPv6 /48 shares SITE_SHARE /64s' worth", () => {
  let harness: Harness;
  const open: WebSocket[] = [];
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        withLimits({ maxWsConnectionsPerClient: 1, maxWsConnections: 200 }),
        (config) => ({ ...config, listen: { ...(config.listen as object), trustedProxies: ['loopback'] } }),
      ],
    });
  });
  afterAll(async () => {
    for (const socket of open) socket.terminate();
    await harness.close();
  });

  it("a host taking a fresh /64 of its /48 per connection is refused (4429) once the /48 holds SITE_SHARE /64s' worth; another /48 connects", async () => {
    const limit = SUBNET_SHARE * SITE_SHARE;
    const answers: Array<'ack' | number> = [];
    for (let n = 1; n <= limit + 2; n++) answers.push(await connect(harness.gateway.graphqlUrl, `2001:db8:a0:${n.toString(16)}::1`, open));
    // Before, each /64 had its own cap: all connected, and a /48 could take the whole total cap.
    expect(answers.slice(0, limit)).toEqual(Array<string>(limit).fill('ack'));
    expect(answers.slice(limit)).toEqual([4429, 4429]);
    expect(harness.logs.some((line) => line.includes('WebSocket connection refused: per-client cap') && line.includes('"per":"site"') && line.includes(`"limit":${limit}`))).toBe(true);
    expect(await connect(harness.gateway.graphqlUrl, '2001:db8:a1:1::1', open)).toBe('ack');
  });
});
