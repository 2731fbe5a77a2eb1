import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CONNECTION_INIT_TOO_LARGE, MAX_CONNECTION_INIT_BYTES } from '../../src/server/ws/admission.js';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const KEY = 'init-viewer-key-0123456789abcdef';

/** Sends `payload` as connection_init; resolves with the ack, or the close that came instead. */
function initWith(graphqlUrl: string, payload: Record<string, unknown>): Promise<{ acknowledged: boolean; code?: number; reason?: string }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl(graphqlUrl), 'graphql-transport-ws');
    socket.on('error', () => {});
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type !== 'connection_ack') return;
      socket.close();
      resolve({ acknowledged: true });
    });
    socket.once('close', (code, reason) => resolve({ acknowledged: false, code, reason: reason.toString() }));
  });
}

describe('connection_init is held for the connection\'s life, so its size is bounded', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'viewer', key: KEY, roles: ['viewer'] }]) });
  });
  afterAll(() => harness.close());

  it('refuses a connection_init far past the limit (within the message limit) with 4400, before the key is even read', async () => {
    // ~1 MiB of empty objects: graphql-ws kept all of it parsed (some 23 MB of heap) until the connection closed.
    const padding = Array.from({ length: 300_000 }, () => ({}));
    const refused = await initWith(harness.gateway.graphqlUrl, { authorization: `Bearer ${KEY}`, padding });
    expect(refused).toEqual({ acknowledged: false, code: 4400, reason: CONNECTION_INIT_TOO_LARGE });
    expect(harness.logs.some((line) => line.includes('connection_init too large'))).toBe(true);
  });

  it('takes one within the limit, headers and all, as before', async () => {
    const headers = { authorization: `Bearer ${KEY}`, 'x-custom': 'y'.repeat(MAX_CONNECTION_INIT_BYTES - 200) };
    expect(await initWith(harness.gateway.graphqlUrl, headers)).toEqual({ acknowledged: true });
  });
});
