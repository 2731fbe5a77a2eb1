import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { UNREAD_HIGH_WATER_BYTES } from '../../src/server/unread-answers.js';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const PINGS = 1_000;
const PING = JSON.stringify({ type: 'ping', payload: { pad: 'x'.repeat(60_000) } });

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
      for (let round = 0; round < 20; round++) {
        for (let index = 0; index < PINGS / 20; index++) socket.send(PING);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Before, the gateway read all of it and queued a 60 KB pong for each (120 MB of them held 350 MB of heap):
      // the client's side held nothing. Now the gateway stops reading past 1 MiB of unread pongs.
      expect(socket.bufferedAmount).toBeGreaterThan(PINGS * PING.length - 20 * UNREAD_HIGH_WATER_BYTES);
      tcp.resume();
      await eventually(() => Promise.resolve(pongs), (count) => count === PINGS, { timeoutMs: 20_000 });
      expect(socket.bufferedAmount).toBe(0);
    } finally {
      socket.terminate();
    }
  }, 30_000);
});
