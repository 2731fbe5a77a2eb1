import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Harness, startHarness, withLimits } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const ROUNDS = 40;

/** A POST without a key sent to `host` over a kept-alive connection: a flood costs the sender a few bytes a request. */
function post(url: string, host: string, agent: Agent): Promise<number> {
  const { hostname, port, pathname } = new URL(url);
  const payload = JSON.stringify({ query: '{ providers { id } }' });
  return new Promise((resolve, reject) => {
    const sent = request({ hostname, port, path: pathname, method: 'POST', agent, headers: { host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    sent.on('error', reject);
    sent.end(payload);
  });
}

/** A WebSocket's connection_init without a key: its close code. */
function connect(url: string, headers: Record<string, string>, payload: unknown = {}): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl(url), 'graphql-transport-ws', { headers });
    socket.on('error', () => {});
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.once('close', (code) => resolve(code));
  });
}

interface LogLine {
  msg: string;
  level: number;
  alsoRefusedSinceLastLine?: number;
}

/**
 * Refusals a caller without a key brings about at will (another site's name, another origin, an
 * oversized connection_init) wrote one info line each: a client sending them as fast as it could
 * wrote the log as fast, a few bytes of request for a line of some 250. One line per address and
 * kind per 10 s now, as for failed authentications and refused connections.
 */
describe('refusals of callers without a key are logged once per address and kind per period, not once each', () => {
  let harness: Harness;
  let port: string;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    port = new URL(harness.gateway.graphqlUrl).port;
  });
  afterAll(async () => {
    agent.destroy();
    await harness.close();
  });

  const lines = (msg: string): LogLine[] => harness.logs.map((text) => JSON.parse(text) as LogLine).filter((line) => line.msg === msg);

  it('HTTP at another site\'s name: every request 403, one line', async () => {
    const statuses = await Promise.all(Array.from({ length: ROUNDS }, () => post(harness.gateway.graphqlUrl, `attacker.example:${port}`, agent)));
    expect(new Set(statuses)).toEqual(new Set([403]));
    const written = lines('request refused: anonymous at a name not in listen.allowedHosts');
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ level: 30, host: `attacker.example:${port}` });
  });

  it('WebSocket at another site\'s name, from another origin, or with an oversized connection_init: every one closed, one line each kind', async () => {
    const cases: Array<{ headers: Record<string, string>; payload?: unknown; code: number; msg: string }> = [
      { headers: { host: `attacker.example:${port}` }, code: 4403, msg: 'WebSocket connection refused: anonymous at a name not in listen.allowedHosts' },
      { headers: { origin: 'https://attacker.example' }, code: 4403, msg: 'WebSocket connection refused: another origin without a key' },
      { headers: {}, payload: { padding: 'x'.repeat(20_000) }, code: 4400, msg: 'WebSocket connection refused: connection_init too large' },
    ];
    for (const { headers, payload, code, msg } of cases) {
      for (let round = 0; round < ROUNDS / 4; round++) expect(await connect(harness.gateway.graphqlUrl, headers, payload)).toBe(code);
      expect(lines(msg), msg).toHaveLength(1);
    }
  });
});

/** Opens a WebSocket without a key and says connection_init only when `init` is set; resolves once open. */
function open(url: string, init: boolean): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(url), 'graphql-transport-ws');
    socket.on('error', () => {});
    socket.once('open', () => {
      if (!init) return resolve(socket);
      socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
      socket.once('message', () => resolve(socket));
    });
    socket.once('close', (code) => reject(new Error(`closed ${code}`)));
  });
}

/** Refusals of a WebSocket for the caps an address fills, and a client breaking the protocol, wrote a warn or info line each too. */
describe('WebSocket cap refusals and protocol breaks are logged once per address and kind per period', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withLimits({ maxWsConnectionsPerClient: 1 }) });
  });
  afterAll(() => harness.close());

  const lines = (msg: string): LogLine[] => harness.logs.map((text) => JSON.parse(text) as LogLine).filter((line) => line.msg === msg);

  it('the per-client cap: every one past it closed 4429, one warn line', async () => {
    const held = await open(harness.gateway.graphqlUrl, true);
    try {
      for (let round = 0; round < ROUNDS / 4; round++) expect(await connect(harness.gateway.graphqlUrl, {})).toBe(4429);
    } finally {
      held.terminate();
    }
    const written = lines('WebSocket connection refused: per-client cap');
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ level: 40 });
  });

  it('the sockets waiting for connection_init: every one past them closed 4429, one warn line', async () => {
    const waiting = await Promise.all(Array.from({ length: 50 }, () => open(harness.gateway.graphqlUrl, false)));
    try {
      for (let round = 0; round < ROUNDS / 4; round++) expect(await connect(harness.gateway.graphqlUrl, {})).toBe(4429);
    } finally {
      for (const socket of waiting) socket.terminate();
    }
    expect(lines('WebSocket connection refused: too many waiting for connection_init')).toHaveLength(1);
  });

  it('a message only a server sends: every connection closed 4400, one info line', async () => {
    for (let round = 0; round < ROUNDS / 4; round++) {
      const socket = await open(harness.gateway.graphqlUrl, true);
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      socket.send(JSON.stringify({ type: 'next', id: '1', payload: {} }));
      expect(await closed).toBe(4400);
    }
    expect(lines('WebSocket connection closed: unexpected message')).toHaveLength(1);
  });
});
