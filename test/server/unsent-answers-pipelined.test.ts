import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { capUnsentHttpAnswers, UnsentAnswerBytes } from '../../src/server/unsent-answers.js';

const ADDRESS = '192.0.2.7';

/**
 * An answer's count is given back at its 'finish' or 'close'; these are the answers that see
 * neither. A pipelined request's answer ended while the answer before it is still being made waits in
 * node, attached to no socket. Its connection closing then emits neither 'finish' nor 'close'
 * on it: what it counted must still be given back, or an address that pipelines and hangs up
 * keeps its count for ever and is refused every answer until the process restarts.
 */
describe('capUnsentHttpAnswers: answers whose connection closed before they went out', () => {
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  it('gives back its bytes when the connection closes before it was attached to the socket', async () => {
    const ledger = new UnsentAnswerBytes(64 * 1024);
    const server = createServer();
    capUnsentHttpAnswers(server, { ledger, addressOf: () => ADDRESS, onRefused: () => undefined, replaceable: () => true });
    let firstArrived: () => void = () => undefined;
    const secondEnded = new Promise<void>((resolve) => {
      let requests = 0;
      server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
        requests += 1;
        // The first is left unanswered; the second is answered at once, queued behind it.
        if (requests === 1) return firstArrived();
        res.end('y'.repeat(10_000));
        resolve();
      });
    });
    const first = new Promise<void>((resolve) => {
      firstArrived = resolve;
    });
    const serverSocketClosed = new Promise<void>((resolve) => server.on('connection', (socket: Socket) => socket.once('close', () => resolve())));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => server.close());
    const { port } = server.address() as AddressInfo;

    const client = connect(port, '127.0.0.1');
    client.on('error', () => undefined);
    client.write('GET /a HTTP/1.1\r\nhost: a\r\n\r\nGET /b HTTP/1.1\r\nhost: a\r\n\r\n');
    await first;
    await secondEnded;
    expect(ledger.bytes(ADDRESS)).toBe(10_000);

    client.destroy();
    await serverSocketClosed;
    // Past the 'close' handlers of that socket.
    await new Promise((resolve) => setImmediate(resolve));
    expect(ledger.bytes(ADDRESS)).toBe(0);
  });

  it('counts nothing for an answer ended after its client hung up (no finish or close will come for it)', async () => {
    const ledger = new UnsentAnswerBytes(64 * 1024);
    const server = createServer();
    capUnsentHttpAnswers(server, { ledger, addressOf: () => ADDRESS, onRefused: () => undefined, replaceable: () => true });
    const endedLate = new Promise<void>((resolve) => {
      server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        // A slow provider call: the answer is ready only after the client has gone.
        req.socket.once('close', () => {
          res.end('y'.repeat(10_000));
          resolve();
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => server.close());
    const { port } = server.address() as AddressInfo;
    const client = connect(port, '127.0.0.1');
    client.on('error', () => undefined);
    server.once('request', () => client.destroy());
    client.write('GET /slow HTTP/1.1\r\nhost: a\r\n\r\n');
    await endedLate;
    await new Promise((resolve) => setImmediate(resolve));
    expect(ledger.bytes(ADDRESS)).toBe(0);
  });
});
