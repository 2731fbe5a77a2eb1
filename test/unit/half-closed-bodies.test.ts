import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { HalfClosedBodies } from '../../src/server/half-closed-bodies.js';

/**
 * HalfClosedBodies on a real node server over loopback, with express.json as the gateway reads
 * bodies (a coded one decoded by zlib, off the main thread): a POST's body refused is answered 400
 * and the connection then ended; a POST read whole and a GET answered after their client
 * half-closed are not answered (the client's end taken as node takes it); left open, both answer.
 */
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function start(): Promise<number> {
  const app = express();
  const server = createServer(app);
  const halfClosed = new HalfClosedBodies(server);
  app.post('/', halfClosed.whileReading(express.json()), (req: Request, res: Response) => {
    res.json({ read: req.body as unknown });
  });
  // How many 'end' listeners the connection holds (the app runs before HalfClosedBodies' own 'request' listener).
  app.get('/listeners', (req: Request, res: Response) => {
    res.json({ listeners: req.socket.listenerCount('end') });
  });
  // Answered once the client's end has come (or at once where the client keeps the connection open).
  app.get('/', (req: Request, res: Response) => {
    if (req.query['late'] === undefined) return void res.json({ read: 'get' });
    // A turn after the end, as the gateway's work answers (its handlers run before HalfClosedBodies' 'end' listener).
    req.socket.once('end', () => setImmediate(() => res.json({ read: 'late' })));
  });
  // An upgraded connection is the upgrade handler's: it answers a turn after its client's end.
  server.on('upgrade', (_req, socket: Socket) => {
    socket.on('error', () => undefined);
    socket.write('HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: test\r\n\r\n');
    socket.once('end', () => setImmediate(() => socket.end('late')));
  });
  app.use((error: { type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(400).json({ refused: error.type });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

/** Writes `requests` on one connection, half-closing it after them when `halfClose`; resolves with all the server sent once it ends the connection. */
function exchange(port: number, requests: Array<string | Buffer>, halfClose: boolean, answers = 1): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      // Left open, the client ends once the answers it waits for have come.
      if (!halfClose && received.split('HTTP/1.1 ').length - 1 >= answers && /\}$/.test(received)) socket.end();
    });
    socket.on('error', reject);
    socket.on('end', () => resolve(received));
    for (const request of requests) socket.write(request);
    if (halfClose) socket.end();
  });
}

/** Writes `first`, and once its answer has come `then`, half-closing after it; resolves with all the server sent once it ends the connection. */
function converse(port: number, first: Array<string | Buffer>, then: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      const before = received;
      received += chunk.toString('latin1');
      if (!/\}$/.test(before) && /\}$/.test(received)) socket.end(then);
    });
    socket.on('error', reject);
    socket.on('end', () => resolve(received));
    for (const request of first) socket.write(request);
  });
}

const post = (body: Buffer, encoding?: string) => [
  `POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${encoding ? `content-encoding: ${encoding}\r\n` : ''}content-length: ${body.length}\r\n\r\n`,
  body,
];
const get = (path: string) => `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`;
const plain = Buffer.from('{"a":1}');
const coded = gzipSync(plain);
// An answer's body runs into the next answer's status line (no line break between them).
const statusLines = (answer: string): string[] => answer.match(/HTTP\/1\.1 \d{3} [A-Za-z ]+/g) ?? [];

describe('HalfClosedBodies: a client half-closing its connection after its request', () => {
  it('a body whose coding lies is answered 400 whether the client half-closes or not, then the connection ends', async () => {
    const port = await start();
    for (const halfClose of [false, true]) {
      const answer = await exchange(port, post(plain, 'gzip'), halfClose);
      expect(statusLines(answer), String(halfClose)).toEqual(['HTTP/1.1 400 Bad Request']);
    }
  });

  it('a chunked body whose coding lies is answered 400 after its client half-closed', async () => {
    const port = await start();
    const head = 'POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ntransfer-encoding: chunked\r\n\r\n';
    const answer = await exchange(port, [head, `${plain.length.toString(16)}\r\n${plain.toString()}\r\n0\r\n\r\n`], true);
    expect(statusLines(answer)).toEqual(['HTTP/1.1 400 Bad Request']);
  });

  it('a request saying content-length 0 has no body to wait for: its answer still to come at the end goes nowhere', async () => {
    const port = await start();
    expect(await exchange(port, ['GET /?late HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 0\r\n\r\n'], true)).toBe('');
  });

  it("a body read and answered is no longer being read: a later request's answer still to come at the end goes nowhere", async () => {
    const port = await start();
    const answer = await converse(port, post(coded, 'gzip'), get('/?late'));
    expect(statusLines(answer)).toEqual(['HTTP/1.1 200 OK']);
    expect(answer).not.toContain('late');
  });

  it('a connection upgraded after an answer is left to the upgrade: its client ending does not end it', async () => {
    const port = await start();
    const answer = await converse(port, [get('/')], 'GET / HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: upgrade\r\nupgrade: test\r\n\r\n');
    expect(statusLines(answer)).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 101 Switching Protocols']);
    expect(answer).toMatch(/late$/);
  });

  it("listens for a connection's end once, not once a request (node warns past ten listeners)", async () => {
    const port = await start();
    const answer = await exchange(port, Array.from({ length: 12 }, () => get('/listeners')), false, 12);
    const counts = [...answer.matchAll(/\{"listeners":(\d+)\}/g)].map((match) => Number(match[1]));
    expect(counts).toHaveLength(12);
    // The first request's is read before HalfClosedBodies adds its own; every later one the same.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts[1]).toBe(counts[0]! + 1);
  });

  it('a coded body read whole is answered on an open connection, and not after its client half-closed (gone, as before)', async () => {
    const port = await start();
    expect(statusLines(await exchange(port, post(coded, 'gzip'), false))).toEqual(['HTTP/1.1 200 OK']);
    expect(await exchange(port, post(coded, 'gzip'), true)).toBe('');
  });

  it('a plain body read in the same turn is answered either way (read before node saw the end)', async () => {
    const port = await start();
    expect(statusLines(await exchange(port, post(plain), false))).toEqual(['HTTP/1.1 200 OK']);
    expect(statusLines(await exchange(port, post(plain), true))).toEqual(['HTTP/1.1 200 OK']);
  });

  it('an answer still to come when the client half-closes goes nowhere, the connection ended at the end as node ends it', async () => {
    const port = await start();
    expect(await exchange(port, [get('/?late')], true)).toBe('');
  });

  it('on a connection kept alive, a later request half-closed after is taken as the first was', async () => {
    const port = await start();
    // Answered, then the coded body refused: two answers, the connection ended after the second.
    const answer = await exchange(port, [get('/'), ...post(plain, 'gzip')], true);
    expect(statusLines(answer)).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 400 Bad Request']);
    // Answered, then a coded body read whole after the end: only the first answered.
    expect(statusLines(await exchange(port, [get('/'), ...post(coded, 'gzip')], true))).toEqual(['HTTP/1.1 200 OK']);
    // Left open: both answered.
    expect(statusLines(await exchange(port, [get('/'), ...post(coded, 'gzip')], false, 2))).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
  });
});
