import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionTurns } from '../../src/server/connection-turns.js';
import { readAnswers } from '../helpers/raw-http.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler, onRefused?: (req: IncomingMessage) => void, maxWaiting?: number): Promise<{ server: Server; turns: ConnectionTurns; port: number }> {
  const server = createServer();
  server.on('request', handler);
  const turns = new ConnectionTurns(server, onRefused, maxWaiting);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, turns, port: (server.address() as AddressInfo).port };
}

const pipelinedGets = (...paths: string[]): string => paths.map((path) => `GET ${path} HTTP/1.1\r\nhost: a\r\n\r\n`).join('');

describe('ConnectionTurns', () => {
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  it('lets the waiting requests of a connection that closed go, unrun', async () => {
    const ran: string[] = [];
    let turns: ConnectionTurns | undefined;
    let markAllArrived: () => void = () => undefined;
    const allArrived = new Promise<void>((resolve) => (markAllArrived = resolve));
    let arrived = 0;
    const started = await listen((req, res) => {
      turns?.waitForEarlier(req, res, () => {
        ran.push(req.url ?? '');
        // The first is left unanswered: the others wait behind it.
        if (req.url !== '/a') res.end('ok');
      });
      arrived += 1;
      if (arrived === 3) markAllArrived();
    });
    turns = started.turns;
    closers.push(() => started.server.close());
    const serverSocketClosed = new Promise<void>((resolve) => started.server.on('connection', (socket: Socket) => socket.once('close', () => resolve())));
    const client = connect(started.port, '127.0.0.1');
    client.on('error', () => undefined);
    client.write(pipelinedGets('/a', '/b', '/c'));
    await allArrived;
    expect(ran).toEqual(['/a']);
    expect(turns.waiting).toBe(2);

    client.destroy();
    await serverSocketClosed;
    await new Promise((resolve) => setImmediate(resolve));
    expect(turns.waiting).toBe(0);
    expect(ran).toEqual(['/a']);
  });

  it('keeps node\'s order when a later request reaches the gate first (no request waits on one behind it)', async () => {
    const ran: string[] = [];
    let turns: ConnectionTurns | undefined;
    let secondAtGate: () => void = () => undefined;
    const secondWaiting = new Promise<void>((resolve) => (secondAtGate = resolve));
    const started = await listen((req, res) => {
      const gate = (): void =>
        turns?.waitForEarlier(req, res, () => {
          ran.push(req.url ?? '');
          res.end(req.url);
        });
      // The first's earlier steps take longer (a store round trip, say): the second is at the gate first.
      if (req.url === '/slow') return void secondWaiting.then(gate);
      gate();
      secondAtGate();
    });
    turns = started.turns;
    closers.push(() => started.server.close());
    const client = connect(started.port, '127.0.0.1');
    client.on('error', () => undefined);
    closers.push(() => client.destroy());
    const answers = readAnswers(client, 2);
    client.write(pipelinedGets('/slow', '/quick'));
    expect((await answers).map((answer) => answer.body)).toEqual(['/slow', '/quick']);
    expect(ran).toEqual(['/slow', '/quick']);
    expect(turns.waiting).toBe(0);
  });

  it('refuses a request past the most one connection may have waiting, at once and unrun, answered in its place', async () => {
    const ran: string[] = [];
    const refused: string[] = [];
    let turns: ConnectionTurns | undefined;
    let releaseFirst: () => void = () => undefined;
    let markRefused: () => void = () => undefined;
    const refusedOne = new Promise<void>((resolve) => (markRefused = resolve));
    const started = await listen(
      (req, res) => {
        turns?.waitForEarlier(req, res, () => {
          ran.push(req.url ?? '');
          if (req.url === '/a') releaseFirst = () => res.end('/a');
          else res.end(req.url);
        });
      },
      (req) => {
        refused.push(req.url ?? '');
        markRefused();
      },
      2,
    );
    turns = started.turns;
    closers.push(() => started.server.close());
    const client = connect(started.port, '127.0.0.1');
    client.on('error', () => undefined);
    closers.push(() => client.destroy());
    const answers = readAnswers(client, 4);
    client.write(pipelinedGets('/a', '/b', '/c', '/d'));
    await refusedOne;
    expect(refused).toEqual(['/d']);
    expect(turns.waiting).toBe(2);
    releaseFirst();
    expect((await answers).map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(ran).toEqual(['/a', '/b', '/c']);
    expect(turns.waiting).toBe(0);
  });

  it('runs three pipelined requests one after another, each once (the first answer\'s later close takes no other from the line)', async () => {
    const ran: string[] = [];
    let turns: ConnectionTurns | undefined;
    const started = await listen((req, res) =>
      turns?.waitForEarlier(req, res, () => {
        ran.push(req.url ?? '');
        res.end(req.url);
      }),
    );
    turns = started.turns;
    closers.push(() => started.server.close());
    const client = connect(started.port, '127.0.0.1');
    client.on('error', () => undefined);
    closers.push(() => client.destroy());
    const answers = readAnswers(client, 4);
    client.write(pipelinedGets('/a', '/b', '/c', '/d'));
    expect((await answers).map((answer) => answer.body)).toEqual(['/a', '/b', '/c', '/d']);
    expect(ran).toEqual(['/a', '/b', '/c', '/d']);
    expect(turns.waiting).toBe(0);
  });

  it('counts as let go only the requests that waited at the gate when their connection closes', async () => {
    let turns: ConnectionTurns | undefined;
    let markArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (markArrived = resolve));
    let count = 0;
    const started = await listen((req, res) => {
      count += 1;
      // The first runs and is left unanswered; the second never reaches the gate (its body, say, still coming); the third waits.
      if (req.url !== '/b') turns?.waitForEarlier(req, res, () => undefined);
      if (count === 3) markArrived();
    });
    turns = started.turns;
    closers.push(() => started.server.close());
    const serverSocketClosed = new Promise<void>((resolve) => started.server.on('connection', (socket: Socket) => socket.once('close', () => resolve())));
    const client = connect(started.port, '127.0.0.1');
    client.on('error', () => undefined);
    client.write(pipelinedGets('/a', '/b', '/c'));
    await arrived;
    expect(turns.waiting).toBe(1);
    client.destroy();
    await serverSocketClosed;
    await new Promise((resolve) => setImmediate(resolve));
    expect(turns.waiting).toBe(0);
  });

  it('does not run a request whose connection was destroyed before it reached the gate', async () => {
    const ran: string[] = [];
    let turns: ConnectionTurns | undefined;
    let markGated: () => void = () => undefined;
    const gated = new Promise<void>((resolve) => (markGated = resolve));
    const started = await listen((req, res) => {
      req.socket.destroy();
      turns?.waitForEarlier(req, res, () => ran.push(req.url ?? ''));
      markGated();
    });
    turns = started.turns;
    closers.push(() => started.server.close());
    const client = connect(started.port, '127.0.0.1');
    client.on('error', () => undefined);
    closers.push(() => client.destroy());
    client.write(pipelinedGets('/a'));
    await gated;
    expect(ran).toEqual([]);
    expect(turns.waiting).toBe(0);
  });

  it('takes the close of an answer that ran after an earlier one, when its connection closes mid-answer, without a throw', async () => {
    // The second's answer takes the socket only once the first's has finished: its 'close' listener then comes
    // after the connection's own, which drops the line first. Reading the gone line threw in node's 'close' event
    // (an uncaught exception: the gateway process down).
    let turns: ConnectionTurns | undefined;
    let markSecondRunning: () => void = () => undefined;
    const secondRunning = new Promise<void>((resolve) => (markSecondRunning = resolve));
    let markSecondClosed: (how: string) => void = () => undefined;
    const secondClosed = new Promise<string>((resolve) => (markSecondClosed = resolve));
    const thrown = (error: Error): void => markSecondClosed(`threw: ${error.message}`);
    process.on('uncaughtException', thrown);
    closers.push(() => process.off('uncaughtException', thrown));
    const started = await listen((req, res) => {
      turns?.waitForEarlier(req, res, () => {
        if (req.url === '/a') return void res.end('/a');
        // The second is left unanswered, its answer on the socket now.
        res.once('close', () => markSecondClosed('closed'));
        markSecondRunning();
      });
    });
    turns = started.turns;
    closers.push(() => started.server.close());
    const client = connect(started.port, '127.0.0.1');
    client.on('error', () => undefined);
    client.write(pipelinedGets('/a', '/b'));
    await secondRunning;
    client.destroy();
    expect(await secondClosed).toBe('closed');
    expect(turns.waiting).toBe(0);
  });
});
