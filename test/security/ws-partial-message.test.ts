import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MESSAGE_NOT_RECEIVED_IN_TIME } from '../../src/server/ws/keep-alive.js';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { rawConnection } from '../helpers/ws.js';

const KEY = 'partial-viewer-key-0123456789abcdef';
const KEEP_ALIVE_MS = 150;

/** Resolves once the client has answered `count` of the server's pings (ws answers them itself). */
const pings = (socket: WebSocket, count: number) =>
  new Promise<void>((resolve) => {
    let seen = 0;
    socket.on('ping', () => {
      seen += 1;
      if (seen === count) resolve();
    });
  });

/**
 * A client may send a message in fragments and answer pings between them: the first fragments
 * of a message whose last one never came (up to limits.bodyLimitBytes) were held for the
 * connection's life, 20 per key and 1,000 in all. Over HTTP a request must arrive within 30 s.
 */
describe('WebSocket: a fragmented message must be finished within a keep-alive period', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'viewer', key: KEY, roles: ['viewer'] }]), webSocketKeepAliveMs: KEEP_ALIVE_MS });
  });
  afterAll(() => harness.close());

  it('closes with 4400 a connection whose message stays unfinished for a whole period, though the client answers pings', async () => {
    const connection = rawConnection(harness.gateway.graphqlUrl, KEY);
    expect(await connection.acknowledged).toBe(true);
    connection.socket.send('{"id":"1","type":"subscribe","payload":{"query":"', { fin: false });
    connection.socket.send('x'.repeat(500_000), { fin: false });
    expect(await connection.closed).toEqual({ code: 4400, reason: MESSAGE_NOT_RECEIVED_IN_TIME });
    expect(harness.logs.some((line) => line.includes('a message not received in time'))).toBe(true);
  });

  it('keeps a connection that sends its messages in fragments promptly, and one that only answers pings', async () => {
    const connection = rawConnection(harness.gateway.graphqlUrl, KEY);
    expect(await connection.acknowledged).toBe(true);
    const answered = new Promise<string>((resolve) => connection.socket.on('message', (data) => resolve(String(data))));
    connection.socket.send('{"id":"1","type":"subscribe",', { fin: false });
    connection.socket.send('"payload":{"query":"{ providers { id } }"}}', { fin: true });
    expect(JSON.parse(await answered)).toMatchObject({ id: '1', type: 'next', payload: { data: { providers: [{ id: 'zomro-test' }] } } });
    // Idle for several periods, answering pings: still open.
    await pings(connection.socket, 4);
    expect(connection.socket.readyState).toBe(WebSocket.OPEN);
    connection.socket.close();
  });
});
