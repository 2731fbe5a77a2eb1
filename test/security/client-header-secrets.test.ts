import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DANUBE_SIM_API_KEY } from '../../src/providers/danube/simulator.js';
import { ZOMRO_SIM_TOKEN } from '../../src/providers/zomro/simulator.js';
import { type Harness, startHarness, withTrustedLoopbackProxy } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

/**
 * Text a client sends in a header and the gateway logs (the request id it offered, the Host and
 * Origin of a refusal, an Upgrade it refused, a name its JSON body repeats) went into the log line
 * as sent: a client that pasted a provider credential there (by mistake, or to plant it in an
 * operator's log) had it written out. Provider credentials never appear in a log line; these
 * fields go through the scrubber that reads provider answers.
 */

const QUERY = '{ providers { id } }';
/** A piece of the key the scrubber claims too, and the Zomro password: neither may stand in any line. */
const LEAKS = [DANUBE_SIM_API_KEY, DANUBE_SIM_API_KEY.slice(4, 20), ZOMRO_SIM_TOKEN];
/** The Danube key as a plain x-request-id would hold it. */
const PLAIN_KEY = DANUBE_SIM_API_KEY;

const leaked = (harness: Harness): string[] => harness.logs.filter((line) => LEAKS.some((secret) => line.includes(secret)));

/** One raw HTTP/1.1 exchange: the status line of its answer. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (answer) => {
      answer.resume();
      answer.on('end', () => resolve(answer.statusCode ?? 0));
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

function get(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { headers }, (answer) => {
      answer.resume();
      answer.on('end', () => resolve(answer.statusCode ?? 0));
    });
    sent.on('error', reject);
    sent.end();
  });
}

function wsClose(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl(url), 'graphql-transport-ws', { headers });
    socket.on('error', () => {});
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.once('close', (code) => resolve(code));
  });
}

describe('a provider credential a client sends in a header the gateway logs is not written to the log', () => {
  let harness: Harness;
  let port: number;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube', 'zomro'] });
    port = Number(new URL(harness.gateway.graphqlUrl).port);
  });
  afterAll(() => harness.close());

  it('x-request-id from a client: still logged beside ours as clientRequestId, scrubbed', async () => {
    const answer = await harness.gql(QUERY, {}, { headers: { 'x-request-id': PLAIN_KEY } });
    expect(answer.errors).toBeUndefined();
    const requestId = answer.headers.get('x-request-id');
    const line = harness.logs.map((text) => JSON.parse(text) as Record<string, unknown>).find((fields) => fields.requestId === requestId && 'clientRequestId' in fields);
    expect(line?.clientRequestId).toContain('[redacted]');
    expect(leaked(harness)).toEqual([]);
  });

  it('Host of an anonymous request at a name not allowed, HTTP and WebSocket; Origin of a WebSocket from another site', async () => {
    expect(await post(harness.gateway.graphqlUrl, { host: `${PLAIN_KEY}.example:${port}` }, JSON.stringify({ query: QUERY }))).toBe(403);
    expect(await wsClose(harness.gateway.graphqlUrl, { host: `${ZOMRO_SIM_TOKEN}.example:${port}` })).toBe(4403);
    expect(await wsClose(harness.gateway.graphqlUrl, { origin: `https://${PLAIN_KEY}.example` })).toBe(4403);
    expect(leaked(harness)).toEqual([]);
    expect(harness.logs.some((line) => line.includes('not in listen.allowedHosts'))).toBe(true);
    expect(harness.logs.some((line) => line.includes('another origin without a key'))).toBe(true);
  });

  it('Host of a request to the admin listener at a name not allowed', async () => {
    expect(await get(`${harness.gateway.adminUrl}/metrics`, { host: `${PLAIN_KEY}.example` })).toBe(403);
    expect(harness.logs.some((line) => line.includes('not in admin.allowedHosts'))).toBe(true);
    expect(leaked(harness)).toEqual([]);
  });

  it('Upgrade to another protocol; a name a JSON body repeats', async () => {
    expect(await raw(port, `GET /graphql HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: upgrade\r\nupgrade: ${PLAIN_KEY}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 4\d\d/);
    expect(await post(harness.gateway.graphqlUrl, {}, `{"query": "${QUERY}", "${PLAIN_KEY}": 1, "${PLAIN_KEY}": 2}`)).toBe(400);
    expect(harness.logs.some((line) => line.includes('an upgrade to another protocol'))).toBe(true);
    expect(harness.logs.some((line) => line.includes('names one thing twice'))).toBe(true);
    expect(leaked(harness)).toEqual([]);
  });
});

describe('a provider credential in an operation name or a variable the gateway refuses', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
  });
  afterAll(() => harness.close());

  it('is not written to the error\'s log line (the client is answered in the words it sent)', async () => {
    const unknown = await post(harness.gateway.graphqlUrl, {}, JSON.stringify({ query: `query A ${QUERY} query B ${QUERY}`, operationName: PLAIN_KEY }));
    expect(unknown).toBe(400);
    const badVariable = await harness.gql('query($first: Int) { instances(first: $first) { edges { node { id } } } }', { first: PLAIN_KEY });
    expect(badVariable.errors?.[0]?.message).toContain(PLAIN_KEY);
    expect(harness.logs.filter((line) => line.includes('request answered with an error'))).toHaveLength(2);
    expect(leaked(harness)).toEqual([]);
  });
});

describe('behind a trusted proxy: an x-request-id or x-client-request-id holding a credential', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withTrustedLoopbackProxy() });
  });
  afterAll(() => harness.close());

  it('is not taken as the request id every line carries (a proxy passing its client\'s on), nor logged as sent', async () => {
    const answer = await harness.gql(QUERY, {}, { headers: { 'x-request-id': PLAIN_KEY } });
    expect(answer.errors).toBeUndefined();
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const passedOn = await harness.gql(QUERY, {}, { headers: { 'x-request-id': 'proxy-set-51', 'x-client-request-id': PLAIN_KEY } });
    expect(passedOn.headers.get('x-request-id')).toBe('proxy-set-51');
    expect(leaked(harness)).toEqual([]);
  });
});
