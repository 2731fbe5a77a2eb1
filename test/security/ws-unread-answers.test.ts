import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { UNREAD_HIGH_WATER_BYTES } from '../../src/server/unread-answers.js';
import { UNREAD_PAUSED_LINE, UNREAD_RESUMED_LINE } from '../../src/server/ws/send.js';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const PINGS = 1_000;
const PING = JSON.stringify({ type: 'ping', payload: { pad: 'x'.repeat(60_000) } });

/** The gateway's log lines with this message, parsed. */
const linesOf = (harness: Harness, message: string): Array<Record<string, unknown>> =>
  harness.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === message);

describe('WebSocket: a client that sends without reading its answers is read no more until it catches up', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it('60 MB of pings from a client that reads nothing wait in the client’s buffers, not the gateway’s; once it reads, every pong arrives', async () => {
    const socket = new WebSocket(wsUrl(harness.gateway.graphqlUrl), 'graphql-transport-ws');
    socket.on('error', () => {});
    let pongs = 0;
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'pong') pongs += 1;
    });
    await new Promise<void>((resolve) => socket.once('open', () => resolve()));
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await new Promise<void>((resolve) => socket.once('message', () => resolve()));
    const tcp = (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    try {
      tcp.pause();
      for (let index = 0; index < PINGS; index++) socket.send(PING);
      // The gateway says when it stops reading the client (ws paused: nothing more is read until it
      // resumes, which needs the client to take its pongs). Before, it read all of it and queued a
      // 60 KB pong for each (120 MB of them held 350 MB of heap), and never said so.
      const paused = await eventually(
        () => Promise.resolve(linesOf(harness, UNREAD_PAUSED_LINE)),
        (lines) => lines.length > 0,
      );
      for (const line of paused) {
        expect(line).toMatchObject({ level: 20, unreadBytes: expect.any(Number) });
        expect(line.unreadBytes).toBeGreaterThan(UNREAD_HIGH_WATER_BYTES);
      }
      // Past 1 MiB of unread pongs and what the kernels' buffers took, the pings wait on the client's side.
      expect(socket.bufferedAmount).toBeGreaterThan(PINGS * PING.length - 20 * UNREAD_HIGH_WATER_BYTES);
      tcp.resume();
      await eventually(() => Promise.resolve(pongs), (count) => count === PINGS, { timeoutMs: 20_000 });
      expect(socket.bufferedAmount).toBe(0);
      // Read again once it had caught up.
      expect(linesOf(harness, UNREAD_RESUMED_LINE).length).toBeGreaterThan(0);
    } finally {
      socket.terminate();
    }
  }, 30_000);

  it('a client paused for taking nothing in a whole keep-alive period is dropped, and counted, rather than held for good', async () => {
    const keepAliveMs = 300;
    const quick = await startHarness({ kinds: ['zomro'], webSocketKeepAliveMs: keepAliveMs });
    try {
      const socket = new WebSocket(wsUrl(quick.gateway.graphqlUrl), 'graphql-transport-ws');
      socket.on('error', () => {});
      await new Promise<void>((resolve) => socket.once('open', () => resolve()));
      socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
      await new Promise<void>((resolve) => socket.once('message', () => resolve()));
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      const tcp = (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
      tcp.pause();
      // Enough unread pongs to pass the mark, then nothing more: no send comes to check the connection.
      // Each ping is followed by a pong of the client's own (an unsolicited pong is a heartbeat,
      // RFC 6455 5.5.3): the gateway's keep-alive pings sit unread behind its pongs, and under load
      // it could ping before it had read enough to stop reading, and drop the client for not
      // answering (uncounted). Answered meanwhile, it is dropped only for taking nothing.
      for (let index = 0; index < 300; index++) {
        socket.send(PING);
        socket.pong();
      }
      const slowReaderCloses = async () => {
        const text = await (await fetch(`${quick.gateway.adminUrl}/metrics`)).text();
        return Number(/backup_graph_websocket_slow_reader_closes_total (\d+)/.exec(text)?.[1] ?? 0);
      };
      await eventually(slowReaderCloses, (count) => count === 1, { timeoutMs: 20 * keepAliveMs });
      tcp.resume();
      expect([1006, 1013]).toContain(await closed);
      expect(quick.logs.some((line) => line.includes('no answer taken in a keep-alive period'))).toBe(true);
    } finally {
      await quick.close();
    }
  }, 30_000);
});
