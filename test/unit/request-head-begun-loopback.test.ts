import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { requestHeadArriving } from '../../src/server/request-head-begun.js';
import { AnswerUnfinishedHeadsAtDrain } from '../../src/server/unfinished-heads-at-drain.js';

/**
 * requestHeadArriving against node's own HTTP parser over loopback, and the drain's fallback where
 * the parser does not tell: its two reads shadowed on the real parser as a node without them, or
 * with its C++ side gone, would answer. Either way a request whose head was half sent when the
 * listener closed is answered 503 SHUTTING_DOWN once its head comes, unrun.
 */
const servers: Server[] = [];
const clients: Socket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A node server whose requests are answered `ran` unless the drain's watch answers them; `accepted` resolves with each connection's server side. */
async function start(): Promise<{ port: number; heads: AnswerUnfinishedHeadsAtDrain; accepted: () => Promise<Socket> }> {
  const server = createServer();
  const heads = new AnswerUnfinishedHeadsAtDrain(server, () => false, (_socket, then) => then());
  server.on('request', (request, response) => {
    if (heads.answered(request, response)) return;
    response.end('ran');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return { port: (server.address() as AddressInfo).port, heads, accepted: async () => ((await once(server, 'connection')) as [Socket])[0] };
}

/** Resolves once node has read `bytes` of the connection (its parser has executed them): no event tells it, so each turn looks. */
async function readBy(socket: Socket, bytes: number): Promise<void> {
  while (socket.bytesRead < bytes) await new Promise((resolve) => setImmediate(resolve));
}

function client(port: number): { socket: Socket; received: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  clients.push(socket);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  return { socket, received: once(socket, 'close').then(() => received) };
}

const halfHead = 'GET / HTTP/1.1\r\nhost: 127.0.0.1\r\n';

describe("requestHeadArriving over loopback on this node's HTTP parser", () => {
  it("guard: this node's parser has both reads and tells a head half come from one read whole", async () => {
    const { port, accepted } = await start();
    const connection = accepted();
    const { socket } = client(port);
    socket.write(halfHead);
    const serverSide = await connection;
    await readBy(serverSide, halfHead.length);
    expect(requestHeadArriving(serverSide)).toBe(true);
  });

  it.each([
    ['a freed C++ side (both reads answer undefined)', { duration: () => undefined, headersCompleted: () => undefined }],
    ['reads that throw', { duration: () => { throw new TypeError('Illegal invocation'); }, headersCompleted: () => false }],
    ['guard, passing before too: no reads at all (a node without them)', { duration: undefined, headersCompleted: undefined }],
  ])('the parser not telling (%s): the byte counts find the half-sent head, answered 503 once it comes', async (_name, shadow) => {
    const { port, heads, accepted } = await start();
    const connection = accepted();
    const { socket, received } = client(port);
    socket.write(halfHead);
    const serverSide = await connection;
    await readBy(serverSide, halfHead.length);
    const parser = (serverSide as Socket & { parser: object }).parser;
    for (const [name, value] of Object.entries(shadow)) Object.defineProperty(parser, name, { value, configurable: true });
    expect(requestHeadArriving(serverSide)).toBeUndefined();
    heads.begin();
    expect(heads.spared(serverSide)).toBe(true);
    socket.write('\r\n');
    const answer = await received;
    expect(answer.slice(0, answer.indexOf('\r\n'))).toBe('HTTP/1.1 503 Service Unavailable');
    expect(answer).toContain('SHUTTING_DOWN');
    expect(answer).not.toContain('ran');
  });
});
