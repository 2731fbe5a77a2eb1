import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { CLOSE_SLOW_READER } from '../../src/server/ws/close.js';
import { eventually, startHarness, withLimits, type Harness } from '../helpers/harness.js';
import { SlowLink } from '../helpers/slow-link.js';
import { rawConnection, wsRun, wsUrl, type RawConnection } from '../helpers/ws.js';

/** 10 VMs of 100 KB: an answer of about 1 MB. */
const VMS = 10;
const PADDING = 'p'.repeat(100_000);
const QUERY = `{ instances(first: ${VMS}) { edges { node { raw } } providerErrors { code } } }`;
/** The cap under test, far below what a paused reader is sent. */
const CAP = 256 * 1024;
/**
 * Operations a paused reader sends (the per-connection limit): 20 MB of answers, well past
 * what loopback's kernel buffers take (tcp_wmem's 4 MB, a receive buffer that does not grow
 * while nothing is read) before ws has to queue them.
 */
const OPERATIONS = 20;
/**
 * How long the first case's gateway waits for a slow reader to answer its close frame (1 s by
 * default): the client that reads again must first read the megabytes queued ahead of the frame,
 * in this process, which took more than 1 s under a load of 15-20 (it was dropped: 1006, not
 * 1013). Nothing here measures time; the reading is truly slow under load.
 */
const CLOSE_WAIT_MS = 10_000;

type Answer = { data?: { instances: { edges: Array<{ node: { raw: { padding: string } } }>; providerErrors: unknown[] } } };

/** An OnApp API whose VM list carries VMS records of 100 KB each. */
async function bigOnapp(vms = VMS, padding = PADDING): Promise<{ server: Server; url: string }> {
  const vm = (id: number) => `{"virtual_machine":{"id":${id},"label":"vm-${id}","identifier":"i${id}","padding":"${padding}"}}`;
  const list = `[${Array.from({ length: vms }, (_, index) => vm(index + 1)).join(',')}]`;
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url?.startsWith('/virtual_machines.json') ? list : '[]');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The gateway's end of one connection: the most it ever had queued unsent, and whether it has let go of it. */
interface ServerEnd {
  maxQueued: number;
  /** Writes so far: a new one says the gateway has answered something more. */
  writes: number;
  /** Each text written of at most SMALL_WRITE_BYTES (a message's payload: an update, not a large answer), and what was queued unsent just before it. */
  smallWrites: Array<{ text: string; queuedBefore: number }>;
  /** Called as the gateway writes its close frame: the drop timer starts right after it. */
  onCloseFrame?: () => void;
  closed: Promise<void>;
}

/** A WebSocket frame header's first byte for a close frame: FIN and opcode 8. */
const CLOSE_FRAME_FIRST_BYTE = 0x88;

const SMALL_WRITE_BYTES = 16 * 1024;

/**
 * Watches every connection the gateway accepts. After each write, the socket's
 * writableLength is what the gateway holds for that client and has not handed to the
 * kernel (ws's `bufferedAmount` without permessage-deflate, which the gateway leaves off).
 */
function watchServerEnds(harness: Harness): Map<number, ServerEnd> {
  const ends = new Map<number, ServerEnd>();
  harness.gateway.httpServer.on('connection', (socket: Socket) => {
    // 'close' comes after an 'error' too (a reset), which events.once would reject on.
    const end: ServerEnd = { maxQueued: 0, writes: 0, smallWrites: [], closed: new Promise((resolve) => socket.once('close', () => resolve())) };
    ends.set(socket.remotePort ?? 0, end);
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((...args: unknown[]) => {
      const [chunk] = args;
      // ws writes a text frame's header as a Buffer, and its payload as the string it was given.
      if (typeof chunk === 'string' && chunk.length <= SMALL_WRITE_BYTES) end.smallWrites.push({ text: chunk, queuedBefore: socket.writableLength });
      if (Buffer.isBuffer(chunk) && chunk[0] === CLOSE_FRAME_FIRST_BYTE) end.onCloseFrame?.();
      const accepted = write(...args);
      end.writes += 1;
      end.maxQueued = Math.max(end.maxQueued, socket.writableLength);
      return accepted;
    }) as typeof socket.write;
  });
  return ends;
}

/** A graphql-ws connection that is acknowledged and then stops reading (its TCP socket paused). */
async function pausedReader(graphqlUrl: string, beforeSending?: (tcp: Socket) => void): Promise<RawConnection & { tcp: Socket; localPort: number }> {
  const connection = rawConnection(graphqlUrl);
  expect(await connection.acknowledged).toBe(true);
  const tcp = (connection.socket as unknown as { _socket: Socket })._socket;
  tcp.pause();
  beforeSending?.(tcp);
  for (let index = 0; index < OPERATIONS; index += 1) {
    connection.socket.send(JSON.stringify({ id: `big-${index}`, type: 'subscribe', payload: { query: QUERY } }));
  }
  return { ...connection, tcp, localPort: tcp.localPort ?? -1 };
}

const slowReaderLines = (harness: Harness) => harness.logs.filter((line) => line.includes('WebSocket connection closed: the client is not reading its answers'));

describe('a WebSocket client that sends operations and stops reading', () => {
  let upstream: { server: Server; url: string };
  let harness: Harness;
  let ends: Map<number, ServerEnd>;
  beforeAll(async () => {
    upstream = await bigOnapp();
    const account = { id: 'onapp-big', kind: 'onapp', url: upstream.url, auth: { username: 'ops', password: 'key' } };
    harness = await startHarness({ kinds: [], webSocketSlowReaderCloseWaitMs: CLOSE_WAIT_MS, configure: [(config) => ({ ...config, providers: [account] }), withLimits({ maxWsBufferedBytes: CAP })] });
    ends = watchServerEnds(harness);
  });
  afterAll(async () => {
    await harness?.close();
    upstream?.server.close();
  });

  it('is closed with 1013 once more than the cap is queued unsent, the gateway holds at most the cap and one answer, and a reading client is served throughout', async () => {
    // One connection for the whole test (not lazy: wsClient's would close between operations).
    const reader = createClient({ url: wsUrl(harness.gateway.graphqlUrl), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
    let readerClosed = false;
    reader.on('closed', () => (readerClosed = true));
    const full = (answer: Answer) => answer.data?.instances.providerErrors.length === 0 && answer.data.instances.edges.length === VMS && answer.data.instances.edges.every((edge) => edge.node.raw.padding === PADDING);
    const first = (await wsRun(reader, QUERY)) as Answer;
    expect(full(first)).toBe(true);
    // The largest message the gateway sends here: one answer in its `next` frame.
    const answerBytes = Buffer.byteLength(JSON.stringify({ id: 'big-10', type: 'next', payload: first }));

    // One that reads again once the gateway has given up on it, and one that never does.
    // The close frame waits behind what is queued: a client that reads again gets it. This one
    // reads again the moment the frame is written: resumed once both were closed (as this test
    // first did), it could already have been dropped CLOSE_HANDSHAKE_WAIT_MS after its own close.
    const resumes = await pausedReader(harness.gateway.graphqlUrl, (tcp) => {
      ends.get(tcp.localPort ?? -1)!.onCloseFrame = () => tcp.resume();
    });
    const never = await pausedReader(harness.gateway.graphqlUrl);
    // The reading client, one operation after another meanwhile.
    const served: boolean[] = [];
    let stopReading = false;
    const reading = (async () => {
      while (!stopReading && slowReaderLines(harness).length < 2) served.push(full((await wsRun(reader, QUERY)) as Answer));
    })();
    try {
      const neverEnd = ends.get(never.localPort);
      const resumedEnd = ends.get(resumes.localPort);
      expect(neverEnd && resumedEnd).toBeTruthy();
      const bound = CAP + answerBytes;
      // Both closed, or (before) one of them holding more than the cap and an answer: ws queued
      // every answer, about 20 MB each, and neither connection was closed.
      await eventually(
        async () => ({ closed: slowReaderLines(harness).length, queued: [neverEnd!.maxQueued, resumedEnd!.maxQueued] }),
        ({ closed, queued }) => closed === 2 || queued.some((bytes) => bytes > bound),
        { timeoutMs: 20_000, intervalMs: 5 },
      );
      expect(Math.max(neverEnd!.maxQueued, resumedEnd!.maxQueued)).toBeLessThanOrEqual(bound);
      const { code, reason } = await resumes.closed;
      expect(code).toBe(CLOSE_SLOW_READER);
      expect(reason).toBe(`not reading: more than ${CAP} bytes queued unsent`);
      expect(slowReaderLines(harness).map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
        expect.objectContaining({ level: 40, limit: CAP, queuedBytes: expect.any(Number) }),
        expect.objectContaining({ level: 40, limit: CAP, queuedBytes: expect.any(Number) }),
      ]);

      // The one that never reads cannot take the close frame: the gateway drops it, and what it held with it.
      await neverEnd!.closed;
      await resumedEnd!.closed;
      // At most the cap plus one answer was ever held for either (before: most of the 20 MB).
      for (const end of [neverEnd!, resumedEnd!]) {
        expect(end.maxQueued).toBeGreaterThan(CAP);
        expect(end.maxQueued).toBeLessThanOrEqual(bound);
      }

      await reading;
      expect(served.length).toBeGreaterThan(0);
      expect(served.every(Boolean)).toBe(true);
      // Still served on the same connection afterwards.
      expect(full((await wsRun(reader, QUERY)) as Answer)).toBe(true);
      expect(readerClosed).toBe(false);

      const metrics = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
      expect(metrics).toMatch(/^backup_graph_websocket_slow_reader_closes_total 2$/m);
    } finally {
      stopReading = true;
      await reading.catch(() => {});
      resumes.socket.terminate();
      never.socket.terminate();
      await reader.dispose();
    }
  }, 30_000 + CLOSE_WAIT_MS);
});

describe('a WebSocket client on a slow link that reads an answer larger than the cap', () => {
  /** 20 VMs of 500 KB: one answer of about 10 MB, more than loopback's kernel buffers take at once. */
  const BIG_VMS = 20;
  const BIG_QUERY = `{ instances(first: ${BIG_VMS}) { edges { node { raw } } } }`;
  let upstream: { server: Server; url: string };
  let harness: Harness;
  let ends: Map<number, ServerEnd>;
  beforeAll(async () => {
    upstream = await bigOnapp(BIG_VMS, 'p'.repeat(500_000));
    const account = { id: 'onapp-big', kind: 'onapp', url: upstream.url, auth: { username: 'ops', password: 'key' } };
    harness = await startHarness({ kinds: [], configure: [(config) => ({ ...config, providers: [account] }), withLimits({ maxWsBufferedBytes: CAP })] });
    ends = watchServerEnds(harness);
  });
  afterAll(async () => {
    await harness?.close();
    upstream?.server.close();
  });

  it('is not closed for another operation answered while the big answer is still on its way: it is reading', async () => {
    const connection = rawConnection(harness.gateway.graphqlUrl);
    expect(await connection.acknowledged).toBe(true);
    const tcp = (connection.socket as unknown as { _socket: Socket })._socket;
    const received = new Map<string, string[]>();
    connection.socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: string; type: string };
      if (message.id) received.set(message.id, [...(received.get(message.id) ?? []), message.type]);
    });
    try {
      // The link is slow: nothing is read while the big answer is queued.
      tcp.pause();
      connection.socket.send(JSON.stringify({ id: 'big', type: 'subscribe', payload: { query: BIG_QUERY } }));
      const end = await eventually(
        async () => ends.get(tcp.localPort ?? -1),
        (value) => (value?.maxQueued ?? 0) > CAP,
        { timeoutMs: 10_000, intervalMs: 5 },
      );
      expect(end!.maxQueued).toBeGreaterThan(CAP);
      // A small operation meanwhile (a dashboard's second query). The gateway reads it once the
      // client has taken the big answer (see unread-answers.ts), so its answer is not sent while the
      // big one drains; a subscription's update is (the test below).
      connection.socket.send(JSON.stringify({ id: 'small', type: 'subscribe', payload: { query: '{ __typename }' } }));
      // The link delivers again: everything arrives, the connection stays open.
      tcp.resume();
      await eventually(
        async () => ({ big: received.get('big') ?? [], small: received.get('small') ?? [] }),
        ({ big, small }) => big.includes('complete') && small.includes('complete'),
        { timeoutMs: 10_000 },
      );
      expect(connection.socket.readyState).toBe(WebSocket.OPEN);
      expect(slowReaderLines(harness)).toEqual([]);
    } finally {
      connection.socket.terminate();
    }
  }, 30_000);
});

/**
 * The unread-answers pause stops the gateway reading the client's messages while a large answer
 * drains, but not the updates of a subscription the client started before: the gateway sends
 * those by itself, behind the answer still being written, and the send cap counts them then.
 */
describe('a WebSocket client on a slow link receiving an answer larger than the cap, when a subscription update comes', () => {
  /** 20 VMs of 500 KB: one answer of about 10 MB, more than loopback's kernel buffers take at once. */
  const BIG_VMS = 20;
  const BIG_QUERY = `{ instances(providerId: "onapp-big", first: ${BIG_VMS}) { edges { node { raw } } } }`;
  const FOLLOW = 'subscription($id: ID!) { operationUpdated(id: $id) { status } }';
  const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
  /** What the slow link moves at a time. */
  const CHUNK_BYTES = 256 * 1024;
  let upstream: { server: Server; url: string };
  let harness: Harness;
  let ends: Map<number, ServerEnd>;
  beforeAll(async () => {
    upstream = await bigOnapp(BIG_VMS, 'p'.repeat(500_000));
    const account = { id: 'onapp-big', kind: 'onapp', url: upstream.url, auth: { username: 'ops', password: 'key' } };
    harness = await startHarness({
      kinds: ['zomro'],
      // Zomro's new backups stay Saving (the operation RUNNING) until the test makes them.
      simulator: { asyncDelayMs: 10 * 60_000 },
      configure: [(config) => ({ ...config, providers: [...config.providers, account] }), withLimits({ maxWsBufferedBytes: CAP })],
    });
    ends = watchServerEnds(harness);
  });
  afterAll(async () => {
    await harness?.close();
    upstream?.server.close();
  });

  it('is not closed, and gets the answer and then the update, in order', async () => {
    const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(kind: ZOMRO) { edges { node { id } } } }');
    const name = 'followed-while-an-answer-drains';
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: listed.data!.instances.edges[2]!.node.id, name } });
    expect(created.errors).toBeUndefined();
    const backup = [...simulator.backups.values()].find((item) => item.name === name)!;

    const link = await SlowLink.open(harness.gateway.graphqlUrl);
    const connection = rawConnection(link.graphqlUrl);
    /** Each message with an id, in the order the client got it. */
    const received: Array<{ id: string; type: string; status?: string; edges?: number }> = [];
    let over!: () => void;
    /** Settles once both operations have completed, or the connection has closed. */
    const isOver = new Promise<void>((resolve) => (over = resolve));
    void connection.closed.then(() => over());
    connection.socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: string; type: string; payload?: { data?: { operationUpdated?: { status: string }; instances?: { edges: unknown[] } } } };
      if (!message.id) return;
      const status = message.payload?.data?.operationUpdated?.status;
      const edges = message.payload?.data?.instances?.edges.length;
      received.push({ id: message.id, type: message.type, ...(status === undefined ? {} : { status }), ...(edges === undefined ? {} : { edges }) });
      if (['update', 'big'].every((id) => received.some((item) => item.id === id && item.type === 'complete'))) over();
    });
    try {
      expect(await connection.acknowledged).toBe(true);
      connection.socket.send(JSON.stringify({ id: 'update', type: 'subscribe', payload: { query: FOLLOW, variables: { id: created.data!.createBackup.operation.id } } }));
      await eventually(
        async () => received,
        (messages) => messages.some((item) => item.id === 'update' && item.status === 'RUNNING'),
      );

      // The link slows down; the big answer is queued, past the cap, and the client takes a first chunk of it.
      link.hold();
      connection.socket.send(JSON.stringify({ id: 'big', type: 'subscribe', payload: { query: BIG_QUERY } }));
      const end = await eventually(
        async () => ends.get(link.gatewayPort),
        (value) => (value?.maxQueued ?? 0) > CAP,
        { timeoutMs: 10_000, intervalMs: 5 },
      );
      await link.pass(CHUNK_BYTES);

      // The backup is made: the subscription's next poll sends the update, behind the big answer.
      backup.readyAt = 0;
      const isUpdate = (text: string) => text.includes('"operationUpdated"') && text.includes('SUCCEEDED');
      const queued = await eventually(
        async () => ({ update: end!.smallWrites.find((write) => isUpdate(write.text)), closes: slowReaderLines(harness).length }),
        ({ update, closes }) => update !== undefined || closes > 0,
        { timeoutMs: 15_000, intervalMs: 5 },
      );
      // Not closed for it (the rule before 2d12c1c closed here: more than the cap was queued).
      expect(slowReaderLines(harness)).toEqual([]);
      // More than the cap of the big answer was still unsent when the update was queued behind it.
      expect(queued.update!.queuedBefore).toBeGreaterThan(CAP);

      // The client reads on, a chunk at a time, until both operations have completed.
      while (received.filter((item) => item.type === 'complete').length < 2 && connection.socket.readyState === WebSocket.OPEN) await link.pass(CHUNK_BYTES, isOver);
      await isOver;
      expect(connection.socket.readyState).toBe(WebSocket.OPEN);
      expect(slowReaderLines(harness)).toEqual([]);
      expect(received.filter((item) => item.type === 'next')).toEqual([
        { id: 'update', type: 'next', status: 'RUNNING' },
        { id: 'big', type: 'next', edges: BIG_VMS },
        { id: 'update', type: 'next', status: 'SUCCEEDED' },
      ]);
      expect(received.filter((item) => item.type === 'complete').map((item) => item.id).toSorted()).toEqual(['big', 'update']);
    } finally {
      connection.socket.terminate();
      await link.close();
    }
  }, 30_000);
});
