import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { trackAnswerDelivery, type AnswerDelivery } from '../../src/server/answer-delivery.js';
import { idleKeepAlive, sendAndStopReading, splitAnswer } from '../helpers/raw-http.js';

/** Far more than the loopback kernel buffers take (the unfixed drain cut such an answer at about 4 MB). */
const ANSWER_BYTES = 24 * 1024 * 1024;
const BIG_REQUEST = 'GET /big HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n';

interface TestServer {
  server: Server;
  port: number;
  delivery: AnswerDelivery;
  /** The server side of each connection, in the order they came. */
  sockets: Socket[];
  /** The answer to the next GET /big, once it was ended. */
  bigAnswer: Promise<ServerResponse>;
}

let running: Server | undefined;
afterEach(() => {
  running?.closeAllConnections();
  running?.close();
  running = undefined;
});

async function startServer(): Promise<TestServer> {
  let answered: (res: ServerResponse) => void = () => {};
  const bigAnswer = new Promise<ServerResponse>((resolve) => (answered = resolve));
  const server = createServer((req, res) => {
    if (req.url !== '/big') return void res.end('ok');
    res.end(Buffer.alloc(ANSWER_BYTES, 'a'));
    answered(res);
  });
  running = server;
  const delivery = trackAnswerDelivery(server);
  const sockets: Socket[] = [];
  server.on('connection', (socket: Socket) => sockets.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, delivery, sockets, bigAnswer };
}

describe('answers still being written when the server closes', () => {
  it('server.close() closes idle keep-alive connections at once and lets a slow reader have its whole answer', async () => {
    const { server, port, delivery, sockets, bigAnswer } = await startServer();
    const idle = await idleKeepAlive(port, '/small');
    const reader = await sendAndStopReading(port, BIG_REQUEST);
    const res = await bigAnswer;
    const [idleSide, readerSide] = sockets as [Socket, Socket];
    const serverClosed = once(server, 'close');
    server.close();
    // Node's own closeIdleConnections destroyed both: the answer had been ended, so it looked idle.
    expect(idleSide.destroyed).toBe(true);
    expect(readerSide.destroyed).toBe(false);
    expect(delivery.delivered(res)).toBe(false);
    await idle.closed;
    // Nothing ends the reader's connection but the reader: Apollo's drain would, once it is delivered.
    res.once('finish', () => readerSide.end());
    const { contentLength, body } = splitAnswer(await reader.readToEnd());
    expect(contentLength).toBe(ANSWER_BYTES);
    expect(body.length).toBe(ANSWER_BYTES);
    expect(delivery.delivered(res)).toBe(true);
    await serverClosed;
  });

  it('does not take an answer cut half written for delivered, though node says it finished', async () => {
    const { server, delivery, port, bigAnswer } = await startServer();
    const reader = await sendAndStopReading(port, BIG_REQUEST);
    const res = await bigAnswer;
    server.closeAllConnections();
    await once(res, 'close');
    // What node reports after cutting it: finished, as if every byte had gone.
    expect(res.writableFinished).toBe(true);
    expect(delivery.delivered(res)).toBe(false);
    expect((await reader.readToEnd()).length).toBeLessThan(ANSWER_BYTES);
  });

  it('leaves an upgraded connection (a WebSocket) to its owner', async () => {
    const { server, port } = await startServer();
    let upgraded: Socket | undefined;
    server.on('upgrade', (_req, socket: Socket) => {
      upgraded = socket;
      socket.write('HTTP/1.1 101 Switching Protocols\r\nupgrade: test\r\nconnection: upgrade\r\n\r\n');
    });
    const client = await sendAndStopReading(port, 'GET /ws HTTP/1.1\r\nhost: 127.0.0.1\r\nupgrade: test\r\nconnection: upgrade\r\n\r\n');
    server.close();
    expect(upgraded?.destroyed).toBe(false);
    upgraded?.destroy();
    await client.readToEnd();
  });
});
