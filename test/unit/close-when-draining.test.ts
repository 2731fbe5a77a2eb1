import { createServer, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CloseWhenDraining } from '../../src/server/close-when-draining.js';

/**
 * CloseWhenDraining on a real node server over loopback, requests written by hand on one socket
 * (pipelined where the test says), each answer held open until the test ends it: which answer says
 * `Connection: close`, and which are answered at all.
 */
interface Bench {
  server: Server;
  closing: CloseWhenDraining;
  port: number;
  /** Resolves with the nth (0-based) request's answer, once the server has it. */
  answer(index: number): Promise<ServerResponse>;
}

const benches: Bench[] = [];
const sockets: Socket[] = [];

async function bench(): Promise<Bench> {
  const server = createServer();
  const closing = new CloseWhenDraining(server);
  const seen: ServerResponse[] = [];
  const waiting = new Map<number, (res: ServerResponse) => void>();
  server.on('request', (_req, res: ServerResponse) => {
    seen.push(res);
    waiting.get(seen.length - 1)?.(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const made: Bench = {
    server,
    closing,
    port: (server.address() as AddressInfo).port,
    answer: (index) => (seen[index] ? Promise.resolve(seen[index]) : new Promise((resolve) => waiting.set(index, resolve))),
  };
  benches.push(made);
  return made;
}

const REQUEST = 'GET / HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n';

/** A client socket and the answers it has read so far, each as its status and `Connection` word. */
function client(port: number) {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  const readers: Array<() => void> = [];
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    for (const reader of readers.splice(0)) reader();
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const answers = () =>
    text
      .split('HTTP/1.1 ')
      .slice(1)
      .filter((answer) => answer.endsWith('ok'))
      .map((answer) => `${answer.slice(0, 3)} ${/\r\nconnection: (\S+)/i.exec(answer)?.[1]?.toLowerCase() ?? 'none'}`);
  return {
    socket,
    closed,
    write: (times = 1) => socket.write(REQUEST.repeat(times)),
    answers,
    /** Resolves once `count` whole answers are read. */
    async read(count: number): Promise<string[]> {
      while (answers().length < count) await new Promise<void>((resolve) => readers.push(resolve));
      return answers();
    },
  };
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const { server } of benches.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe('CloseWhenDraining', () => {
  it('leaves answers keep-alive until the drain begins', async () => {
    const { port, answer } = await bench();
    const one = client(port);
    one.write();
    (await answer(0)).end('ok');
    one.write();
    (await answer(1)).end('ok');
    expect(await one.read(2)).toEqual(['200 keep-alive', '200 keep-alive']);
  });

  it('tells an answer open at the start of the drain to close, and the connection closes after it', async () => {
    const { port, answer, closing } = await bench();
    const one = client(port);
    one.write();
    const open = await answer(0);
    closing.begin();
    closing.begin();
    open.end('ok');
    expect(await one.read(1)).toEqual(['200 close']);
    await one.closed;
  });

  it('tells a request received during the drain to close, on a connection that was idle', async () => {
    const { port, answer, closing } = await bench();
    const one = client(port);
    one.write();
    (await answer(0)).end('ok');
    await one.read(1);
    closing.begin();
    one.write();
    (await answer(1)).end('ok');
    expect(await one.read(2)).toEqual(['200 keep-alive', '200 close']);
  });

  it('of two pipelined requests open at the start, tells only the newest to close, and both are answered', async () => {
    const { port, answer, closing } = await bench();
    const one = client(port);
    one.write(2);
    const [first, second] = [await answer(0), await answer(1)];
    closing.begin();
    second.end('ok');
    first.end('ok');
    expect(await one.read(2)).toEqual(['200 keep-alive', '200 close']);
  });

  it('still tells the newest to close when the one before it ended first, before the drain', async () => {
    const { port, answer, closing } = await bench();
    const one = client(port);
    one.write(2);
    const [first, second] = [await answer(0), await answer(1)];
    first.end('ok');
    await one.read(1);
    closing.begin();
    second.end('ok');
    expect(await one.read(2)).toEqual(['200 keep-alive', '200 close']);
  });

  it('moves the close from an unbegun answer to a request pipelined behind it during the drain', async () => {
    const { port, answer, closing } = await bench();
    const one = client(port);
    one.write();
    const first = await answer(0);
    closing.begin();
    one.write();
    const second = await answer(1);
    first.end('ok');
    second.end('ok');
    // The close taken off again: node then writes no Connection line (HTTP/1.1 keeps the connection).
    expect(await one.read(2)).toEqual(['200 none', '200 close']);
  });

  it('leaves an answer already begun alone, at the start and when a request comes behind it', async () => {
    const { port, answer, closing } = await bench();
    const one = client(port);
    one.write();
    const first = await answer(0);
    first.setHeader('content-length', 2);
    first.flushHeaders();
    closing.begin();
    one.write();
    const second = await answer(1);
    first.end('ok');
    second.end('ok');
    expect(await one.read(2)).toEqual(['200 keep-alive', '200 close']);
  });

  it('watches each connection once however many requests it carries, and forgets a connection closed with answers open', async () => {
    const { port, answer, closing } = await bench();
    const one = client(port);
    one.write();
    (await answer(0)).end('ok');
    // Counted from the second request: node's own listeners on a socket settle after its first.
    one.write();
    const second = await answer(1);
    const socket = second.socket!;
    const listeners = socket.listenerCount('close');
    second.end('ok');
    for (let index = 2; index < 5; index++) {
      one.write();
      const res = await answer(index);
      expect(socket.listenerCount('close')).toBe(listeners);
      res.end('ok');
    }
    await one.read(5);

    const newest = (closing as unknown as { newest: Map<unknown, unknown> }).newest;
    const two = client(port);
    two.write(2);
    const [open, queued] = [await answer(5), await answer(6)];
    expect(newest.size).toBe(1);
    const gone = new Promise<void>((resolve) => open.socket!.once('close', () => resolve()));
    two.socket.destroy();
    await gone;
    expect(newest.size).toBe(0);
    expect(queued.headersSent).toBe(false);
  });

  it('knows the newest answer on a connection (isNewest) and whether it still owes one (owesAnswer)', async () => {
    const { port, answer, closing } = await bench();
    const one = client(port);
    one.write(2);
    const [first, second] = [await answer(0), await answer(1)];
    const socket = first.socket!;
    expect([closing.isNewest(first), closing.isNewest(second)]).toEqual([false, true]);
    expect(closing.owesAnswer(socket)).toBe(true);
    first.end('ok');
    await one.read(1);
    expect(closing.owesAnswer(socket)).toBe(true);
    const closed = new Promise<void>((resolve) => second.once('close', () => resolve()));
    second.end('ok');
    await closed;
    expect(closing.isNewest(second)).toBe(false);
    expect(closing.owesAnswer(socket)).toBe(false);
  });

  it('calls afterAnswers at once on a connection owing nothing, else once its newest answer, and any come behind it, have closed', async () => {
    const { port, answer, closing } = await bench();
    const one = client(port);
    one.write();
    const first = await answer(0);
    const socket = first.socket!;
    const calls: string[] = [];
    closing.afterAnswers(socket, () => calls.push('owed'));
    one.write();
    const second = await answer(1);
    first.end('ok');
    await one.read(1);
    // The first answer closed, but a request came behind it: the connection still owes the second.
    expect(calls).toEqual([]);
    const done = new Promise<void>((resolve) => closing.afterAnswers(socket, resolve));
    second.end('ok');
    await done;
    expect(calls).toEqual(['owed']);
    closing.afterAnswers(socket, () => calls.push('idle'));
    expect(calls).toEqual(['owed', 'idle']);
  });
});
