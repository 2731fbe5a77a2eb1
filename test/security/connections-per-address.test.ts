import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SITE_SHARE, SUBNET_SHARE } from '../../src/server/address-groups.js';
import { ConnectionsAs } from '../helpers/connect-as.js';
import { eventually, type Harness, startHarness, withLimits, withSettings } from '../helpers/harness.js';
import { exchangeRaw, rawAnswerBody } from '../helpers/raw-http.js';

const PER_ADDRESS = 3;
const QUERY = JSON.stringify({ query: '{ providers { id } }' });
const POST = (body: string) => `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;

/** An open TCP connection to the gateway that has sent nothing yet. */
async function openConnection(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** What the server sent on `socket` once it closed it, or 'open' if it is still open after `ms`. */
function outcomeOf(socket: Socket, ms: number): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const timer = setTimeout(() => resolve('open'), ms);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
  });
}

/** Whether a fresh connection is answered 200 (a refused one is closed, or reset, unanswered). */
const served = (port: number): Promise<boolean> =>
  exchangeRaw(port, POST(QUERY)).then(
    (answer) => answer.startsWith('HTTP/1.1 200'),
    () => false,
  );

const counterValue = async (adminUrl: string): Promise<number> => {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  return Number(/^backup_graph_connections_refused_total (\d+)/m.exec(text)?.[1] ?? NaN);
};

describe('limits.maxConnectionsPerAddress', () => {
  let harness: Harness;
  let port: number;
  const held: Socket[] = [];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withLimits({ maxConnectionsPerAddress: PER_ADDRESS }) });
    port = Number(new URL(harness.gateway.url).port);
  });
  afterEach(async () => {
    for (const socket of held.splice(0)) socket.destroy();
    // The gateway counts a connection as closed once it sees it close.
    await eventually(() => served(port), Boolean);
  });
  afterAll(() => harness.close());

  it('closes a connection past the cap as it is accepted, before reading a byte of it; those within it are served', async () => {
    held.push(...(await Promise.all(Array.from({ length: PER_ADDRESS }, () => openConnection(port)))));
    const before = await counterValue(harness.gateway.adminUrl);
    const refused = await openConnection(port);
    const outcome = outcomeOf(refused, 5_000);
    // A mutation sent on it would never run: node never parses it.
    refused.write(POST(QUERY));
    expect(await outcome).toBe('');
    expect(await counterValue(harness.gateway.adminUrl)).toBe(before + 1);
    expect(harness.logs.filter((line) => line.includes('connection refused: too many open from this address'))).not.toHaveLength(0);

    // The connections held are still the client's own.
    const first = held[0]!;
    const answered = outcomeOf(first, 5_000);
    first.write(POST(QUERY));
    const answer = await answered;
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(rawAnswerBody(answer)).toMatchObject({ data: { providers: [{ id: 'zomro-test' }] } });
  });

  it('gives a closed connection\'s place back: one more is taken once one of the cap closes', async () => {
    held.push(...(await Promise.all(Array.from({ length: PER_ADDRESS }, () => openConnection(port)))));
    const last = held.pop()!;
    expect(await served(port)).toBe(false);
    last.destroy();
    await eventually(() => served(port), Boolean);
  });

  it('writes one log line per address per period, however many it refuses', async () => {
    held.push(...(await Promise.all(Array.from({ length: PER_ADDRESS }, () => openConnection(port)))));
    const lines = () => harness.logs.filter((line) => line.includes('connection refused: too many open from this address')).length;
    const before = lines();
    const refusedBefore = await counterValue(harness.gateway.adminUrl);
    for (let n = 0; n < 20; n += 1) expect(await outcomeOf(await openConnection(port), 5_000)).toBe('');
    expect(await counterValue(harness.gateway.adminUrl)).toBe(refusedBefore + 20);
    expect(lines() - before).toBeLessThanOrEqual(1);
  });
});

describe('the admin listener: limits.maxConnectionsPerAddress (at most ADMIN_CONNECTIONS_PER_ADDRESS)', () => {
  const METRICS = 'GET /metrics HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n';

  it('closes an admin connection past the cap unread, serves those within it, and gives a closed one\'s place back', async () => {
    const harness = await startHarness({ kinds: ['zomro'], configure: withLimits({ maxConnectionsPerAddress: PER_ADDRESS }) });
    const sockets: Socket[] = [];
    try {
      const adminPort = Number(new URL(harness.gateway.adminUrl).port);
      const metricsServed = () =>
        exchangeRaw(adminPort, METRICS).then(
          (answer) => answer.startsWith('HTTP/1.1 200'),
          () => false,
        );
      // Before, the admin listener (0.0.0.0 in Kubernetes) took any number from one address.
      sockets.push(...(await Promise.all(Array.from({ length: PER_ADDRESS }, () => openConnection(adminPort)))));
      const refused = await openConnection(adminPort);
      const outcome = outcomeOf(refused, 5_000);
      refused.write(METRICS);
      expect(await outcome).toBe('');
      expect(harness.logs.some((line) => line.includes('admin connection refused: too many open from this address'))).toBe(true);

      const first = sockets[0]!;
      const answered = outcomeOf(first, 5_000);
      first.write(METRICS);
      expect(await answered).toMatch(/^HTTP\/1\.1 200/);
      await eventually(metricsServed, Boolean);
    } finally {
      for (const socket of sockets) socket.destroy();
      await harness.close();
    }
  });
});

describe('limits.maxConnectionsPerAddress behind a trusted proxy', () => {
  it('does not cap a proxy named in listen.trustedProxies: it carries many clients', async () => {
    const harness = await startHarness({
      kinds: ['zomro'],
      configure: [withLimits({ maxConnectionsPerAddress: PER_ADDRESS }), withSettings({ listen: { host: '127.0.0.1', port: 0, trustedProxies: ['loopback'] } })],
    });
    const sockets: Socket[] = [];
    try {
      const port = Number(new URL(harness.gateway.url).port);
      sockets.push(...(await Promise.all(Array.from({ length: PER_ADDRESS + 2 }, () => openConnection(port)))));
      const last = sockets.at(-1)!;
      const answered = outcomeOf(last, 5_000);
      last.write(POST(QUERY));
      expect(await answered).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await harness.close();
    }
  });
});

describe('limits.maxConnectionsPerAddress per IPv6 /64 and /48', () => {
  let harness: Harness;
  let connections: ConnectionsAs;
  const held: Socket[] = [];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withLimits({ maxConnectionsPerAddress: 1 }) });
    connections = await ConnectionsAs.over(harness.gateway.httpServer);
  });
  afterAll(async () => {
    for (const socket of held.splice(0)) socket.destroy();
    await connections.close();
    await harness.close();
  });

  /** What the gateway answers a query sent on a fresh connection from `address`: the raw answer, '' when closed unread. */
  const answerFrom = async (address: string): Promise<string> => {
    const socket = await connections.from(address);
    const outcome = outcomeOf(socket, 5_000);
    socket.write(POST(QUERY));
    return outcome;
  };

  it("a host taking a fresh /64 of its /48 per connection is closed unread once the /48 holds SITE_SHARE /64s' worth; another /48 is served", async () => {
    const limit = SUBNET_SHARE * SITE_SHARE;
    // Before, each /64 of the /48 (65,536 of them) had its own cap: connections without end.
    for (let n = 1; n <= limit; n++) held.push(await connections.from(`2001:db8:77:${n.toString(16)}:0:0:0:1`));
    expect(await answerFrom(`2001:db8:77:${(limit + 1).toString(16)}:0:0:0:1`)).toBe('');
    const line = harness.logs.find((text) => text.includes('"group":"2001:db8:77::/48"'));
    expect(line).toContain('connection refused: too many open from this address');
    expect(line).toContain(`"limit":${limit}`);
    expect(await answerFrom('2001:db8:78:1:0:0:0:1')).toMatch(/^HTTP\/1\.1 200/);
    // A closed one gives its place back to its /48.
    const first = held.shift()!;
    const closed = once(first, 'close');
    first.destroy();
    await closed;
    await eventually(() => answerFrom(`2001:db8:77:${(limit + 2).toString(16)}:0:0:0:1`), (answer) => answer.startsWith('HTTP/1.1 200'));
  });

  it("a /64 still holds SUBNET_SHARE addresses' worth, each address one", async () => {
    for (let n = 1; n <= SUBNET_SHARE; n++) held.push(await connections.from(`2001:db8:79:0:0:0:0:${n.toString(16)}`));
    expect(await answerFrom('2001:db8:79:0:0:0:0:ffff')).toBe('');
    expect(harness.logs.some((text) => text.includes('"group":"2001:db8:79:0::/64"'))).toBe(true);
    expect(await answerFrom('2001:db8:79:1:0:0:0:1')).toMatch(/^HTTP\/1\.1 200/);
  });
});
