import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_KEY_REQUIRED } from '../../src/server/ws/admission.js';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { rawConnection } from '../helpers/ws.js';

const KEY = 'ws-placement-key-0123456789';

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

  it('is let in with the key in connectionParams, and a wrong one is still "unknown API key"', async () => {
    const right = rawConnection(harness.gateway.graphqlUrl, KEY);
    expect(await right.acknowledged).toBe(true);
    right.socket.close();
    const wrong = rawConnection(harness.gateway.graphqlUrl, 'not-a-key-of-this-gateway-000');
    expect(await wrong.closed).toEqual({ code: 4403, reason: 'unknown API key' });
  });
});
