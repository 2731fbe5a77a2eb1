import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_WAITING_PER_ADDRESS } from '../../src/server/ws-server.js';
import { haproxyInstalled, startHaproxy, type RunningHaproxy } from '../helpers/haproxy.js';
import { type Harness, startHarness, withClients, withLimits } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const KEY = 'forwarded-viewer-key-0123456789';
// Loopback is a /8 on Linux: clients bind these to arrive at HAProxy as different hosts.
const ATTACKER = '127.0.0.2';
const NEIGHBOUR = '127.0.0.3';

/** An anonymous query through HAProxy from `localAddress` (with an X-Forwarded-For of its own if given): the HTTP status. */
function statusFrom(url: string, localAddress: string, forwardedFor?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }) };
    const outgoing = request(url, { method: 'POST', localAddress, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify({ query: '{ __typename }' }));
  });
}

/**
 * The status and `x-request-id` of the answer to a query sent through HAProxy from `localAddress`
 * with the headers given (a request id of the client's own, ...). Each client its own address:
 * the rate limit lets one request an address through.
 */
function requestIdThrough(url: string, localAddress: string, headers: Record<string, string | string[]>): Promise<{ status: number; requestId: string | undefined }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, requestId: response.headers['x-request-id'] as string | undefined }));
    });
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify({ query: '{ __typename }' }));
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const linesWith = (harness: Harness, field: string, value: string) =>
  harness.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line[field] === value);

const open = (url: string, localAddress: string): WebSocket => new WebSocket(wsUrl(url), 'graphql-transport-ws', { localAddress });

/** A keyed graphql-ws connection from `localAddress`: 'ack', or the close code sent instead. */
function connectFrom(url: string, localAddress: string): Promise<'ack' | number> {
  return new Promise((resolve) => {
    const socket = open(url, localAddress);
    socket.on('error', () => {});
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${KEY}` } })));
    socket.on('message', () => {
      resolve('ack');
      socket.terminate();
    });
    socket.once('close', (code) => resolve(code));
  });
}

describe.skipIf(!haproxyInstalled())('behind HAProxy with deploy/haproxy.cfg and trustedProxies (skipped only when the haproxy binary is missing)', () => {
  let harness: Harness;
  let haproxy: RunningHaproxy;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        withClients([{ name: 'dashboard', key: KEY, roles: ['viewer'] }], { allowAnonymous: true }),
        withLimits({ rateLimit: { requestsPerSecond: 0.001, burst: 1 } }),
        // The whole range the clients come from, as compose's config trusts its private network.
        (config) => ({ ...config, listen: { ...(config.listen as object), trustedProxies: ['loopback'] } }),
      ],
    });
    const gateway = new URL(harness.gateway.url).host;
    haproxy = await startHaproxy({ servers: [gateway, gateway], checkInter: '200ms' });
    await Promise.all([haproxy.waitFor('gateway-1', 'UP'), haproxy.waitFor('gateway-2', 'UP')]);
  });
  afterAll(async () => {
    await haproxy.stop();
    await harness.close();
  });

  it('the gateway counts each client by the address HAProxy forwards, not HAProxy’s own', async () => {
    expect(await statusFrom(haproxy.graphqlUrl, ATTACKER)).toBe(200);
    expect(await statusFrom(haproxy.graphqlUrl, ATTACKER)).toBe(429);
    expect(await statusFrom(haproxy.graphqlUrl, NEIGHBOUR)).toBe(200);
  });

  it('a client cannot hand the gateway a made-up address through HAProxy, even from a trusted range', async () => {
    const liar = '127.0.0.4';
    expect(await statusFrom(haproxy.graphqlUrl, liar, '203.0.113.1')).toBe(200);
    expect(await statusFrom(haproxy.graphqlUrl, liar, '203.0.113.2')).toBe(429);
    expect(await statusFrom(haproxy.graphqlUrl, liar, '127.0.0.5')).toBe(429);
  });

  it('a client’s own x-request-id does not pass through HAProxy as a trusted proxy’s: HAProxy sets its own, and the client’s is logged beside it', async () => {
    const { status, requestId } = await requestIdThrough(haproxy.graphqlUrl, '127.0.0.6', { 'x-request-id': 'another-request-7' });
    expect(status).toBe(200);
    expect(requestId).toMatch(UUID);
    expect(linesWith(harness, 'requestId', 'another-request-7')).toEqual([]);
    // HAProxy hands it on as x-client-request-id; the gateway logs it once, beside its own id.
    expect(linesWith(harness, 'clientRequestId', 'another-request-7').map((line) => line.requestId)).toEqual([requestId]);
  });

  it('HAProxy hands on no client id that is not one plain token, nor an x-client-request-id the client sent itself', async () => {
    const sent: Array<Record<string, string | string[]>> = [{ 'x-request-id': 'two words' }, { 'x-request-id': ['twice-1', 'twice-2'] }, { 'x-request-id': 'a,b' }, { 'x-client-request-id': 'forged-client-id' }];
    for (const [index, headers] of sent.entries()) {
      const { status, requestId } = await requestIdThrough(haproxy.graphqlUrl, `127.0.0.${20 + index}`, headers);
      expect(status).toBe(200);
      expect(requestId).toMatch(UUID);
    }
    for (const words of ['two words', 'twice-1', 'twice-2', 'a,b', 'forged-client-id']) expect(harness.logs.some((line) => line.includes(words))).toBe(false);
  });

  it('sockets that never send connection_init lock out only their own host', async () => {
    const silent = await Promise.all(
      Array.from({ length: MAX_WAITING_PER_ADDRESS }, () => {
        const socket = open(haproxy.graphqlUrl, ATTACKER);
        return new Promise<WebSocket>((resolve, reject) => {
          socket.once('open', () => resolve(socket));
          socket.once('error', reject);
        });
      }),
    );
    try {
      expect(await connectFrom(haproxy.graphqlUrl, ATTACKER)).toBe(4429);
      expect(await connectFrom(haproxy.graphqlUrl, NEIGHBOUR)).toBe('ack');
    } finally {
      for (const socket of silent) socket.terminate();
    }
  });
});
