import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readBeforeClosingKeptAlive } from '../../src/server/keep-alive-reads-first.js';

/**
 * readBeforeClosingKeptAlive on a plain node server over loopback (the gateway's own case is
 * test/server/keep-alive-after-stall.test.ts): a kept-alive connection whose next request came
 * while the event loop was held past its keep-alive timer is read, and one left idle is still
 * closed. The loop is held by a busy loop in this process, the server's.
 */
const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

const REQUEST = 'GET / HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n';
const ANSWER = 'kept';

const holdLoop = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: nothing else in this process runs meanwhile
  }
};

async function keptAliveConnection() {
  // The first request answered in the turn that read it, so the test goes on (and holds the loop)
  // in the phase the answer's write finished in, before the keep-alive timer's; later ones on a
  // later turn, as the gateway answers (its resolvers wait on providers): an answer written in the
  // turn that read its request would be out before any close of the connection after that turn.
  let requests = 0;
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    requests += 1;
    if (requests === 1) res.end(ANSWER);
    else setTimeout(() => res.end(ANSWER), 5);
  });
  server.keepAliveTimeout = 100;
  readBeforeClosingKeptAlive(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const served = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  const closed = new Promise<string>((resolve) => {
    let code = 'no error';
    socket.on('error', (error: NodeJS.ErrnoException) => (code = error.code ?? error.message));
    socket.on('close', () => resolve(code));
  });
  const answered = () => text.split(ANSWER).length - 1;
  /** Resolves once the server has finished writing its next answer (its keep-alive timer then set). */
  const nextAnswerFinished = () =>
    new Promise<void>((resolve) => server.once('request', (_req: IncomingMessage, res: ServerResponse) => res.once('finish', () => resolve())));
  const first = nextAnswerFinished();
  socket.write(REQUEST);
  await first;
  return { served: await served, socket, closed, answered, nextAnswerFinished };
}

describe('a kept-alive connection and the keep-alive timer that fired while the event loop was held', () => {
  it('reads the request sent meanwhile and answers it, not closing the connection under it', async () => {
    const connection = await keptAliveConnection();
    const keepAliveMs = connection.served.timeout ?? 0;
    expect(keepAliveMs).toBeGreaterThan(0);
    const second = connection.nextAnswerFinished();
    connection.socket.write(REQUEST);
    holdLoop(keepAliveMs + 200);
    expect(await Promise.race([second.then(() => 'answered'), connection.closed.then((code) => `closed (${code})`)])).toBe('answered');
    connection.socket.end();
    await connection.closed;
    expect(connection.answered()).toBe(2);
  });

  it('closes it once its keep-alive time has passed with nothing sent', async () => {
    const connection = await keptAliveConnection();
    expect(await connection.closed).toBe('no error');
    expect(connection.answered()).toBe(1);
  });
});
