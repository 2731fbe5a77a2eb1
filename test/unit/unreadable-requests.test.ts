import { createServer, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { answerUnreadableRequests } from '../../src/server/unreadable-requests.js';

/**
 * answerUnreadableRequests on a real node server over loopback, requests written by hand on one
 * socket: what a client reads when node cannot read what it sent, alone and pipelined behind an
 * answer the server is still writing.
 */
const servers: Server[] = [];
const sockets: Socket[] = [];

interface Bench {
  port: number;
  /** Resolves with the nth (0-based) request's answer once the server has it, left open for the test. */
  answer(index: number): Promise<ServerResponse>;
}

async function bench(options: { headersTimeout?: number; requestTimeout?: number } = {}): Promise<Bench> {
  const server = createServer({ ...options, connectionsCheckingInterval: 50 });
  answerUnreadableRequests(server);
  const seen: ServerResponse[] = [];
  const waiting = new Map<number, (res: ServerResponse) => void>();
  server.on('request', (_req, res: ServerResponse) => {
    seen.push(res);
    waiting.get(seen.length - 1)?.(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return {
    port: (server.address() as AddressInfo).port,
    answer: (index) => (seen[index] ? Promise.resolve(seen[index]) : new Promise((resolve) => waiting.set(index, resolve))),
  };
}

/** A client socket: everything it has read, a wait for some text in it, and a wait for the close. */
function client(port: number) {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  const readers: Array<() => void> = [];
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    for (const reader of readers.splice(0)) reader();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(text)));
  return {
    socket,
    /** Resolves with everything read once the connection is closed. */
    closed,
    async readUntil(part: string): Promise<void> {
      while (!text.includes(part)) await new Promise<void>((resolve) => readers.push(resolve));
    },
  };
}

/** The refusal's status line, framing and JSON body, from what the client read before the close. */
function refusalOf(raw: string) {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const lines = head.split('\r\n');
  return {
    statusLine: lines[0],
    headers: lines.slice(1).map((line) => line.toLowerCase()),
    contentLength: Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1]),
    bodyBytes: Buffer.byteLength(body, 'latin1'),
    body: JSON.parse(Buffer.from(body, 'latin1').toString('utf8')) as unknown,
  };
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe('answerUnreadableRequests', () => {
  it('writes nothing into an answer under way when the rest of its request turns out unreadable: the connection only closes', async () => {
    const { port, answer } = await bench();
    const one = client(port);
    // A body still arriving, answered before it is read whole (as a 401 is): then a chunk node cannot read.
    one.socket.write('POST /half HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n');
    const first = await answer(0);
    first.writeHead(200, { 'content-length': '10', 'content-type': 'text/plain' });
    first.write('first');
    await one.readUntil('first');
    one.socket.write('not a chunk size\r\n');
    const read = await one.closed;
    // The answer's head and the half of its body written, then the close: a client sees it cut
    // short of its Content-Length, never the refusal's bytes read as the rest of its body.
    expect(read).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nfirst$/);
    expect(read).not.toContain('malformed');
    expect(first.req.complete).toBe(false);
    first.end('-half');
  });

  it('writes nothing into an answer under way when a malformed request is pipelined behind it: the connection only closes (guard)', async () => {
    const { port, answer } = await bench();
    const one = client(port);
    one.socket.write('GET /half HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    const first = await answer(0);
    first.writeHead(200, { 'content-length': '10', 'content-type': 'text/plain' });
    first.write('first');
    await one.readUntil('first');
    one.socket.write('NOT HTTP AT ALL\r\n\r\n');
    const read = await one.closed;
    expect(read).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nfirst$/);
    expect(read).not.toContain('malformed');
    first.end('-half');
  });

  it('tells no whole request behind which a malformed one is pipelined that it was malformed: the connection only closes, its answer owed', async () => {
    const { port, answer } = await bench();
    const one = client(port);
    // One write: node hands the server the whole first request, then fails on the bytes after it.
    one.socket.write('POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}NOT HTTP AT ALL\r\n\r\n');
    const first = await answer(0);
    // A client reads the first answer on a connection as its first request's: a 400 there says a
    // request the server is running (a mutation) was refused as malformed.
    expect(await one.closed).toBe('');
    expect(first.headersSent).toBe(false);
  });

  it('answers a request that is not HTTP 400 "malformed HTTP request", framed whole, and closes (guard)', async () => {
    const { port } = await bench();
    const one = client(port);
    one.socket.write('NOT HTTP AT ALL\r\n\r\n');
    const refusal = refusalOf(await one.closed);
    expect(refusal.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(refusal.body).toEqual({ errors: [{ message: 'malformed HTTP request', extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(refusal.contentLength).toBe(refusal.bodyBytes);
    expect(refusal.headers).toEqual(expect.arrayContaining(['content-type: application/json; charset=utf-8', 'x-content-type-options: nosniff', 'connection: close']));
  });

  it('answers headers past node\'s 16 KiB 431 and chunk extensions past its limit 413 (guard)', async () => {
    const { port } = await bench();
    const huge = client(port);
    huge.socket.write(`GET / HTTP/1.1\r\nhost: 127.0.0.1\r\nx-huge: ${'a'.repeat(20_000)}\r\n\r\n`);
    const tooLarge = refusalOf(await huge.closed);
    expect(tooLarge.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(tooLarge.body).toEqual({ errors: [{ message: 'request headers too large', extensions: { code: 'BAD_USER_INPUT' } }] });

    const chunked = client(port);
    chunked.socket.write(`POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n\r\n1;${'x'.repeat(20_000)}\r\n{\r\n`);
    const extensions = refusalOf(await chunked.closed);
    expect(extensions.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(extensions.body).toEqual({ errors: [{ message: 'chunk extensions too large', extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('answers headers not received in time 408, naming both of the server\'s waits (guard)', async () => {
    const { port } = await bench({ headersTimeout: 200, requestTimeout: 300 });
    const slow = client(port);
    slow.socket.write('GET / HTTP/1.1\r\nhost: 127.0.0.1\r\n');
    const late = refusalOf(await slow.closed);
    expect(late.statusLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(late.body).toEqual({ errors: [{ message: 'request not received in time: headers within 200 ms, the whole request within 300 ms', extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('answers a body not received in time 408 though the server was handed its request: the refusal is that request\'s own answer (guard)', async () => {
    const { port, answer } = await bench({ headersTimeout: 200, requestTimeout: 300 });
    const slow = client(port);
    slow.socket.write('POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 100\r\n\r\n{');
    const handed = await answer(0);
    expect(handed.req.complete).toBe(false);
    const late = refusalOf(await slow.closed);
    expect(late.statusLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(late.body).toEqual({ errors: [{ message: 'request not received in time: headers within 200 ms, the whole request within 300 ms', extensions: { code: 'BAD_USER_INPUT' } }] });
  });
});
