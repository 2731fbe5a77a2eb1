import { once } from 'node:events';
import { createServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import express, { type Response } from 'express';
import { describe, expect, it } from 'vitest';
import { HttpDrain } from '../../src/server/http-drain.js';

/**
 * Over a real connection: an answer queued behind another (HTTP/1.1 pipelining) when the client
 * goes away emits no 'close' of its own, and the drain held each such request and answer for ever.
 */
describe('HttpDrain and pipelined requests', () => {
  it('forgets every request of a connection once it closes, one whose answer was queued behind another too', async () => {
    const drain = new HttpDrain(10_000);
    const open: Response[] = [];
    let secondArrived = () => {};
    const twoArrived = new Promise<void>((resolve) => (secondArrived = resolve));
    const app = express();
    app.use((_req, res) => {
      drain.track(res);
      // Answered only once the client has gone, as a query still running then is.
      open.push(res);
      if (open.length === 2) secondArrived();
    });
    const server = createServer(app);
    let serverSide: Socket | undefined;
    server.on('connection', (socket: Socket) => (serverSide = socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    client.write('GET /a HTTP/1.1\r\nhost: x\r\n\r\n'.repeat(2));
    await twoArrived;
    expect(drain.tracked).toBe(2);
    const closed = once(serverSide!, 'close');
    client.destroy();
    await closed;
    for (const res of open) res.json({ answer: 'late' });
    expect(drain.tracked).toBe(0);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('does not follow a request whose client left before it was tracked (its close has come and gone)', async () => {
    const drain = new HttpDrain(10_000);
    let serverSide: Socket | undefined;
    let tracked = () => {};
    const trackedOnce = new Promise<void>((resolve) => (tracked = resolve));
    const app = express();
    app.use(async (_req, res) => {
      // Tracked after an await: the client went away meanwhile, and its request's 'close' has come already.
      if (!serverSide!.destroyed) await once(serverSide!, 'close');
      drain.track(res);
      tracked();
    });
    const server = createServer(app);
    server.on('connection', (socket: Socket) => (serverSide = socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    client.write('GET /a HTTP/1.1\r\nhost: x\r\n\r\n');
    await once(server, 'request');
    client.destroy();
    await trackedOnce;
    expect(drain.tracked).toBe(0);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
