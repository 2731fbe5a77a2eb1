import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { notAStringMessage, TWO_AUTHORIZATIONS, WS_KEY_REQUIRED } from '../../src/server/ws/admission.js';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { rawConnection, wsUrl } from '../helpers/ws.js';

const KEY = 'ws-placement-key-0123456789';

/** Sends `payload` as connection_init: the ack, or the close that came instead. */
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

// A newcomer's first WebSocket client often puts the key where HTTP takes it, in the
// upgrade request's headers; the refusal must say where graphql-ws sends it instead.
describe('a WebSocket connection without a key in connectionParams', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'reader', key: KEY, roles: ['viewer'] }]) });
  });
  afterAll(async () => harness.close());

  it('is closed with 4403 naming connectionParams, the key sent as an upgrade header or not at all (it said "an Authorization: Bearer <key> header is required")', async () => {
    const inHeader = rawConnection(harness.gateway.graphqlUrl, undefined, { authorization: `Bearer ${KEY}` });
    expect(await inHeader.closed).toEqual({ code: 4403, reason: WS_KEY_REQUIRED });
    expect(WS_KEY_REQUIRED).toContain('connectionParams: { authorization: "Bearer <key>" }');
    const without = rawConnection(harness.gateway.graphqlUrl);
    expect(await without.closed).toEqual({ code: 4403, reason: WS_KEY_REQUIRED });
  });

  it('is let in with the key in connectionParams, and a wrong one is still "unknown client key"', async () => {
    const right = rawConnection(harness.gateway.graphqlUrl, KEY);
    expect(await right.acknowledged).toBe(true);
    right.socket.close();
    const wrong = rawConnection(harness.gateway.graphqlUrl, 'not-a-key-of-this-gateway-000');
    expect(await wrong.closed).toEqual({ code: 4403, reason: "unknown client key: it is none of the keys of this gateway's config (`clients`); check it for a typo" });
  });
});

// The key was there, in another JSON shape (a client copying node's header arrays, or an
// object of its own): "a key is required" sent its author looking for a key it had sent.
describe('a connection_init whose authorization is no string', () => {
  let keyed: Harness;
  let open: Harness;
  beforeAll(async () => {
    keyed = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'reader', key: KEY, roles: ['viewer'] }]) });
    open = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'reader', key: KEY, roles: ['viewer'] }], { allowAnonymous: true }) });
  });
  afterAll(async () => Promise.all([keyed.close(), open.close()]));

  it('is closed with 4403 saying it must be a string, of each shape (it said "a key is required")', async () => {
    expect(await initWith(keyed.gateway.graphqlUrl, { authorization: [`Bearer ${KEY}`] })).toEqual({ acknowledged: false, code: 4403, reason: notAStringMessage('an array') });
    expect(await initWith(keyed.gateway.graphqlUrl, { Authorization: { bearer: KEY } })).toEqual({ acknowledged: false, code: 4403, reason: notAStringMessage('an object') });
    expect(await initWith(keyed.gateway.graphqlUrl, { authorization: 42 })).toEqual({ acknowledged: false, code: 4403, reason: notAStringMessage('a number') });
    expect(notAStringMessage('an object')).toBe('connectionParams.authorization must be a string, "Bearer <key>", not an object');
    expect(Buffer.byteLength(notAStringMessage('an object'))).toBeLessThanOrEqual(123);
  });

  it('is refused where callers without a key are served, not let in as one (it was served as anonymous)', async () => {
    expect(await initWith(open.gateway.graphqlUrl, { authorization: [`Bearer ${KEY}`] })).toEqual({ acknowledged: false, code: 4403, reason: notAStringMessage('an array') });
    expect(await initWith(open.gateway.graphqlUrl, {})).toEqual({ acknowledged: true });
    expect(await initWith(open.gateway.graphqlUrl, { authorization: null })).toEqual({ acknowledged: true });
    expect(await initWith(open.gateway.graphqlUrl, { authorization: `Bearer ${KEY}` })).toEqual({ acknowledged: true });
  });
});

// Two Authorization lines of an HTTP request are a typed 400: node kept one, a proxy in front
// may have judged the other. connectionParams under both spellings is the same ambiguity.
describe('a connection_init carrying both authorization and Authorization', () => {
  let keyed: Harness;
  let open: Harness;
  beforeAll(async () => {
    keyed = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'reader', key: KEY, roles: ['viewer'] }]) });
    open = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'reader', key: KEY, roles: ['viewer'] }], { allowAnonymous: true }) });
  });
  afterAll(async () => Promise.all([keyed.close(), open.close()]));

  it('is closed with 4400 naming both, whichever holds the key (the lower-case one was read and the other dropped)', async () => {
    for (const harness of [keyed, open]) {
      const bothKeys = [
        { authorization: `Bearer ${KEY}`, Authorization: 'Bearer not-a-key-of-this-gateway-000' },
        { authorization: 'Bearer not-a-key-of-this-gateway-000', Authorization: `Bearer ${KEY}` },
        { authorization: `Bearer ${KEY}`, Authorization: `Bearer ${KEY}` },
        { authorization: null, Authorization: `Bearer ${KEY}` },
      ];
      for (const payload of bothKeys) {
        const answer = await initWith(harness.gateway.graphqlUrl, payload);
        expect(answer, JSON.stringify(payload)).toEqual({ acknowledged: false, code: 4400, reason: TWO_AUTHORIZATIONS });
      }
    }
    expect(Buffer.byteLength(TWO_AUTHORIZATIONS)).toBeLessThanOrEqual(123);
  });

  it('still lets in the key under either spelling alone, and is no failed authentication (an address is not held back for it)', async () => {
    expect(await initWith(keyed.gateway.graphqlUrl, { authorization: `Bearer ${KEY}` })).toEqual({ acknowledged: true });
    expect(await initWith(keyed.gateway.graphqlUrl, { Authorization: `Bearer ${KEY}` })).toEqual({ acknowledged: true });
    for (let attempt = 0; attempt < 25; attempt += 1) await initWith(keyed.gateway.graphqlUrl, { authorization: `Bearer ${KEY}`, Authorization: `Bearer ${KEY}` });
    // Past limits.authFailures' 20 a window, a failure count would hold this address back (4429).
    expect(await initWith(keyed.gateway.graphqlUrl, { authorization: `Bearer ${KEY}` })).toEqual({ acknowledged: true });
  });
});
