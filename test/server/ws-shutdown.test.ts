import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, startHarness, withClients, withSettings } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';
import { MAX_OPERATION_ID_LENGTH } from '../../src/server/ws/operation-id.js';

describe('shutdown with a WebSocket client that stopped answering', () => {
  it('drops it after a short wait instead of waiting out its close handshake (ws allows 30 s), and the listener closes', async () => {
    const harness = await startHarness({ kinds: ['zomro'] });
    const socket = new WebSocket(wsUrl(harness.gateway.graphqlUrl), 'graphql-transport-ws');
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('open', () => resolve()));
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await new Promise<void>((resolve) => socket.once('message', () => resolve()));
    // The peer goes quiet: it reads nothing more, so it never answers the server's close frame.
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    try {
      // Before, this waited for ws's 30 s close timeout (and the test's own 30 s limit).
      await harness.gateway.close();
      await expect(fetch(`${harness.gateway.url}/healthz`)).rejects.toThrow();
    } finally {
      socket.terminate();
      await harness.close();
    }
  });
});

/**
 * Upgrades a raw TCP connection to graphql-transport-ws, sends `messages`,
 * and then never answers anything: resolves with the close code the server
 * sent once the server has dropped the TCP connection.
 */
function deafClient(graphqlUrl: string, messages: object[]): Promise<number> {
  const { hostname, port } = new URL(graphqlUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let closeCode = 0;
    socket.on('error', () => {});
    socket.on('connect', () => {
      socket.write(
        `GET /graphql HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      const upgradedBefore = received.includes('\r\n\r\n');
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (!upgradedBefore && end >= 0) {
        if (!received.subarray(0, end).toString().startsWith('HTTP/1.1 101')) return reject(new Error(received.toString()));
        received = received.subarray(end + 4);
        for (const message of messages) {
          const payload = Buffer.from(JSON.stringify(message));
          // FIN + text frame, masked with a zero mask, 16-bit length.
          const header = Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff, 0, 0, 0, 0]);
          socket.write(Buffer.concat([header, payload]));
        }
      }
      // The server's close frame: 0x88, length, then the code.
      const close = received.indexOf(0x88);
      if (close >= 0 && received.length >= close + 4) closeCode = received.readUInt16BE(close + 2);
    });
    socket.on('close', () => resolve(closeCode));
  });
}

describe('a client refused at connection_init that never answers the close', () => {
  it('is dropped after a short wait, not kept for ws’s 30 s close handshake', async () => {
    const harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'dashboard', key: 'ws-close-viewer-key-0123456789', roles: ['viewer'] }]) });
    try {
      // Before, the server kept the socket until ws's 30 s close timeout (past this test's limit).
      expect(await deafClient(harness.gateway.graphqlUrl, [{ type: 'connection_init', payload: { authorization: 'Bearer not-a-key-of-this-gateway-000' } }])).toBe(4403);
    } finally {
      await harness.close();
    }
  }, 10_000);
});

describe('a client that breaks the protocol and never answers the close', () => {
  it('gets 4400 (its fault, logged below error level) and is dropped after a short wait', async () => {
    const harness = await startHarness({ kinds: ['zomro'] });
    try {
      // A message type only a server sends. Before: 4500 "Internal server error", an error-level log with a stack, and 30 s.
      expect(await deafClient(harness.gateway.graphqlUrl, [{ type: 'connection_init', payload: {} }, { type: 'connection_ack' }])).toBe(4400);
      expect(harness.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
    } finally {
      await harness.close();
    }
  }, 10_000);
});

describe('a close whose reason would quote the client at length', () => {
  it('closes with a reason cut to what a close frame holds (ws threw on it, and the client got 4500)', async () => {
    const harness = await startHarness({ kinds: ['zomro'] });
    const { server } = harness.simulator('zomro');
    const socket = new WebSocket(wsUrl(harness.gateway.graphqlUrl), 'graphql-transport-ws');
    try {
      socket.on('error', () => {});
      await new Promise<void>((resolve) => socket.once('open', () => resolve()));
      socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
      await new Promise<void>((resolve) => socket.once('message', () => resolve()));
      // The first operation is still running when the second one with its id arrives; an id as long as
      // the gateway takes makes "Subscriber for <id> already exists" longer than a close frame holds.
      server.latencyMs = 2_000;
      const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
      const subscribe = JSON.stringify({ type: 'subscribe', id: 'i'.repeat(MAX_OPERATION_ID_LENGTH), payload: { query: '{ instances { totalCount } }' } });
      socket.send(subscribe);
      socket.send(subscribe);
      const { code, reason } = await closed;
      expect(code).toBe(4409);
      expect(reason).toMatch(/^Subscriber for i+\.\.\.$/);
      expect(Buffer.byteLength(reason)).toBe(123);
    } finally {
      server.latencyMs = 0;
      socket.terminate();
      await harness.close();
    }
  }, 10_000);
});

/** An acknowledged graphql-transport-ws connection; `messages` collects what the server sends, `closed` its close code. */
async function acknowledged(graphqlUrl: string): Promise<{ socket: WebSocket; messages: Array<{ type: string; payload?: unknown }>; closed: Promise<number> }> {
  const socket = new WebSocket(wsUrl(graphqlUrl), 'graphql-transport-ws');
  socket.on('error', () => {});
  const messages: Array<{ type: string; payload?: unknown }> = [];
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve) => socket.once('open', () => resolve()));
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  await new Promise<void>((resolve) => socket.once('message', () => resolve()));
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as { type: string; payload?: unknown }));
  return { socket, messages, closed };
}

/** Sends query `q1` on `socket`; resolves once the provider simulator holds its upstream call. */
async function queryInFlight(server: { inFlight: number }, socket: WebSocket): Promise<void> {
  const before = server.inFlight;
  socket.send(JSON.stringify({ type: 'subscribe', id: 'q1', payload: { query: '{ instances { totalCount } }' } }));
  await eventually(() => Promise.resolve(server.inFlight), (count) => count > before);
}

describe('shutdown with a query in flight over WebSocket', () => {
  it('lets it finish and answer, as an HTTP request does, then closes its connection with 1001; idle connections close at once', async () => {
    const harness = await startHarness({ kinds: ['zomro'] });
    const { server } = harness.simulator('zomro');
    const busy = await acknowledged(harness.gateway.graphqlUrl);
    const idle = await acknowledged(harness.gateway.graphqlUrl);
    try {
      server.latencyMs = 1_500;
      await queryInFlight(server, busy.socket);
      const closing = harness.gateway.close();
      expect(await idle.closed).toBe(1001);
      // While the query finishes, the listener takes no new connection (HTTP or WebSocket).
      const { port } = new URL(harness.gateway.url);
      const refused = await new Promise<string>((resolve) => {
        const attempt = connect(Number(port), '127.0.0.1');
        attempt.once('connect', () => {
          attempt.destroy();
          resolve('accepted');
        });
        attempt.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
      expect(busy.messages).toEqual([]);
      // Before, the query was cut with 1001 and no answer.
      expect(await busy.closed).toBe(1001);
      expect(busy.messages.map((message) => message.type)).toEqual(['next', 'complete']);
      expect((busy.messages[0]?.payload as { data: { instances: { totalCount: number } } }).data.instances.totalCount).toBeGreaterThan(0);
      expect(await closing).toEqual({ operationsCut: 0, requestsCut: 0 });
    } finally {
      server.latencyMs = 0;
      busy.socket.terminate();
      idle.socket.terminate();
      await harness.close();
    }
  }, 10_000);

  it('closes it anyway once shutdown.drainTimeoutMs has passed', async () => {
    const harness = await startHarness({ kinds: ['zomro'], configure: withSettings({ shutdown: { drainTimeoutMs: 200 } }) });
    const { server } = harness.simulator('zomro');
    const busy = await acknowledged(harness.gateway.graphqlUrl);
    try {
      server.latencyMs = 5_000;
      await queryInFlight(server, busy.socket);
      expect(await harness.gateway.close()).toEqual({ operationsCut: 1, requestsCut: 0 });
      expect(await busy.closed).toBe(1001);
      expect(busy.messages).toEqual([]);
    } finally {
      server.latencyMs = 0;
      busy.socket.terminate();
      await harness.close();
    }
  }, 4_000);
});

describe('operations sent while the gateway shuts down', () => {
  it('are refused with SHUTTING_DOWN and never run, while the one in flight still answers', async () => {
    const harness = await startHarness({ kinds: ['zomro'] });
    const { server } = harness.simulator('zomro');
    const busy = await acknowledged(harness.gateway.graphqlUrl);
    try {
      const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 1) { edges { node { id } } } }');
      const instanceId = list.data!.instances.edges[0]!.node.id;
      server.latencyMs = 1_500;
      await queryInFlight(server, busy.socket);
      const closing = harness.gateway.close();
      // Before, this ran (the provider made the backup) and its answer was never sent: a write the client could not know of.
      busy.socket.send(
        JSON.stringify({
          type: 'subscribe',
          id: 'm1',
          payload: { query: 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', variables: { input: { instanceId, name: 'during-drain' } } },
        }),
      );
      expect(await busy.closed).toBe(1001);
      const refusal = busy.messages.find((message) => (message as { id?: string }).id === 'm1');
      expect(refusal).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'SHUTTING_DOWN' } }] });
      expect(busy.messages.filter((message) => (message as { id?: string }).id === 'q1').map((message) => message.type)).toEqual(['next', 'complete']);
      expect(server.count('instances.fleio_bckps.edit')).toBe(0);
      await closing;
    } finally {
      server.latencyMs = 0;
      busy.socket.terminate();
      await harness.close();
    }
  }, 10_000);
});

describe('a client that resets its connection while answers are being sent', () => {
  /**
   * Building the first 2 MB answers (1,000 instances) under a load of 15-18 on two cores took the
   * test past vitest's 30 s. Nothing here measures time; only the work is slow.
   */
  const BUILD_UNDER_LOAD_MS = 45_000;
  it('is logged below error level: a connection gone is not a gateway fault', async () => {
    const harness = await startHarness({ kinds: ['zomro'], simulator: { instances: 1_000 } });
    const query = '{ instances(first: 1000) { edges { node { raw backups { raw } } } } }';
    const serverSockets: Socket[] = [];
    harness.gateway.httpServer.on('connection', (socket: Socket) => serverSockets.push(socket));
    try {
      // From the read cache from now on: the answers (2 MB each) come faster than a paused client takes them.
      expect((await harness.gql(query)).errors).toBeUndefined();
      const busy = await acknowledged(harness.gateway.graphqlUrl);
      (busy.socket as unknown as { _socket: Socket })._socket.pause();
      for (let index = 0; index < 10; index++) busy.socket.send(JSON.stringify({ type: 'subscribe', id: `q${index}`, payload: { query } }));
      // The gateway holds answers it could not write yet: the reset fails those writes.
      await eventually(() => Promise.resolve(serverSockets.reduce((most, socket) => Math.max(most, socket.writableLength), 0)), (pending) => pending > 0, { timeoutMs: BUILD_UNDER_LOAD_MS });
      (busy.socket as unknown as { _socket: Socket })._socket.resetAndDestroy();
      await busy.closed;
      // Before, each failed write was an error-level "WebSocket message handling failed" with a stack, and a 4500 close.
      expect((await harness.gql<{ providers: unknown[] }>('{ providers { id } }')).data?.providers).toHaveLength(1);
      expect(harness.logs.filter((line) => /"level":(50|60)/.test(line)).map((line) => line.slice(0, 200))).toEqual([]);
    } finally {
      await harness.close();
    }
  }, 2 * BUILD_UNDER_LOAD_MS);
});

describe('a client that cancels an operation and reuses its id at once', () => {
  it('is refused (graphql-ws dropped the second answer when the first ended); the first one\'s read is cut, and shutdown cuts nothing', async () => {
    const harness = await startHarness({ kinds: ['zomro'] });
    const { server } = harness.simulator('zomro');
    const busy = await acknowledged(harness.gateway.graphqlUrl);
    try {
      server.latencyMs = 1_000;
      await queryInFlight(server, busy.socket);
      busy.socket.send(JSON.stringify({ type: 'complete', id: 'q1' }));
      busy.socket.send(JSON.stringify({ type: 'subscribe', id: 'q1', payload: { query: '{ instances(first: 1) { edges { node { backups { id } } } } }' } }));
      await eventually(() => Promise.resolve(busy.messages.find((message) => message.type === 'error')), Boolean);
      expect(busy.messages.find((message) => message.type === 'error')).toMatchObject({ id: 'q1', payload: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
      // The cancelled query's read, in flight, is cut (it ran on to the provider's answer before:
      // test/reliability/answered-while-waiting.test.ts): the provider's answer finds its connection gone.
      expect(await eventually(() => Promise.resolve(server.abandoned), (count) => count > 0)).toBe(1);
      const closing = harness.gateway.close();
      expect(await busy.closed).toBe(1001);
      expect(await closing).toEqual({ operationsCut: 0, requestsCut: 0 });
    } finally {
      server.latencyMs = 0;
      busy.socket.terminate();
      await harness.close();
    }
  }, 15_000);
});
