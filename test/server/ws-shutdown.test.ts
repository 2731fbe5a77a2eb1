import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHarness } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

describe('shutdown with a WebSocket client that stopped answering', () => {
  it('drops it after a short wait instead of waiting out its close handshake (ws allows 30 s), and the listener closes', async () => {
    const harness = await startHarness({ kinds: ['zomro'] });
    const socket = new WebSocket(wsUrl(harness.gateway.graphqlUrl), 'graphql-transport-ws');
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('open', () => resolve()));
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await new Promise<void>((resolve) => socket.once('message', () => resolve()));
    // The peer goes quiet: it reads nothing more, so it never answers the server's close frame.
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    try {
      // Before, this waited for ws's 30 s close timeout (and the test's own 30 s limit).
      await harness.gateway.close();
      await expect(fetch(`${harness.gateway.url}/healthz`)).rejects.toThrow();
    } finally {
      socket.terminate();
      await harness.close();
    }
  });
});
