import { connect } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { type Harness, startHarness, withClients, withLimits } from '../helpers/harness.js';
import { exchangeRaw, rawHeadOf as headOf, rawStatusOf as statusOf, readAnswers } from '../helpers/raw-http.js';

const KEY = 'unread-body-viewer-key-0123456789abc';
const LIMITED_KEY = 'unread-body-limited-key-0123456789ab';
/** Room for every request the viewer sends here; the limited client spends it all first. */
const BURST = 10;
/** Short, so that the old behaviour ends (a 408 or a bare close) rather than holding the test. */
const REQUEST_TIMEOUT_MS = 1_500;

/** One chunk of a body whose end never comes: only the gateway's answer ends the exchange. */
const UNENDED_CHUNKS = 'transfer-encoding: chunked\r\n\r\n4\r\nxxxx\r\n';
/** A Content-Length within limits.bodyLimitBytes, four bytes of it sent. */
const UNREACHED_LENGTH = 'content-length: 1000\r\n\r\nxxxx';

const request = (line: string, headers: string): string => `${line} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${headers}`;
const withKey = (key: string): string => `authorization: Bearer ${key}\r\n`;
const answersIn = (exchange: string): number => exchange.match(/HTTP\/1\.1 \d{3} /g)?.length ?? 0;

/** A read of a made-up Backup: one backup list read of its own at the provider when it runs. */
const backupRead = (index: number): string =>
  JSON.stringify({ query: 'query($id: ID!) { node(id: $id) { id } }', variables: { id: encodeId('Backup', 'zomro-test', [String(700_000 + index), '1']) } });
const completePost = (path: string, body: string, extra = ''): string => request(`POST ${path}`, `${withKey(KEY)}content-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`);

/**
 * An answer sent before its request's body was read: a caller without a key, a path not served,
 * a method not served, a caller past its rate. Node kept the connection alive by reading the rest
 * of the body, a chunked one never ended or a Content-Length never reached, until the request
 * timeout: a client could hold sockets for nothing and have the gateway read bytes nobody wants.
 */
describe('an answer sent before its request body was read', () => {
  let harness: Harness;
  let port: number;
  let adminPort: number;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        withClients([
          { name: 'viewer', key: KEY, roles: ['viewer'] },
          { name: 'limited', key: LIMITED_KEY, roles: ['viewer'] },
        ]),
        withLimits({ bodyLimitBytes: 4096, rateLimit: { requestsPerSecond: 0.0001, burst: BURST } }),
      ],
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    });
    port = Number(new URL(harness.gateway.url).port);
    adminPort = Number(new URL(harness.gateway.adminUrl).port);
  });
  afterAll(() => harness.close());

  it.each([
    ['a caller without a key, a chunked body', request('POST /graphql', UNENDED_CHUNKS), 401],
    ['a caller without a key, a Content-Length not reached', request('POST /graphql', UNREACHED_LENGTH), 401],
    ['a path not served', request('POST /nothing', `${withKey(KEY)}${UNENDED_CHUNKS}`), 404],
    ['a method not served', request('PUT /graphql', `${withKey(KEY)}${UNENDED_CHUNKS}`), 405],
  ])('closes its connection after the answer: %s', async (_case, sent, status) => {
    const exchange = await exchangeRaw(port, sent);
    expect(statusOf(exchange)).toBe(status);
    expect(headOf(exchange)).toContain('connection: close');
    // Kept alive, the request timeout ended the connection, with a 408 of its own after the answer.
    expect(answersIn(exchange)).toBe(1);
  });

  it('closes its connection after a 429 to a caller past its rate', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    for (let sent = 0; sent < BURST; sent += 1) {
      const spent = await exchangeRaw(port, request('POST /graphql', `${withKey(LIMITED_KEY)}connection: close\r\ncontent-length: ${body.length}\r\n\r\n${body}`));
      expect(statusOf(spent)).toBe(200);
    }
    const exchange = await exchangeRaw(port, request('POST /graphql', `${withKey(LIMITED_KEY)}${UNENDED_CHUNKS}`));
    expect(statusOf(exchange)).toBe(429);
    expect(headOf(exchange)).toContain('connection: close');
    expect(answersIn(exchange)).toBe(1);
  });

  it.each([
    ['/metrics', 404],
    ['/healthz', 404],
    ['/nothing', 404],
  ])('closes the admin listener connection after its answer to a POST to %s', async (path, status) => {
    const exchange = await exchangeRaw(adminPort, request(`POST ${path}`, UNENDED_CHUNKS));
    expect(statusOf(exchange)).toBe(status);
    expect(headOf(exchange)).toContain('connection: close');
    expect(answersIn(exchange)).toBe(1);
  });

  it('runs nothing pipelined behind an answer sent before its body was read', async () => {
    harness.resetUpstreamLogs();
    // In one write: a read, a 404 whose body comes whole, a read. Node answers the 404 before it
    // has parsed the rest of what it received, and queues it behind the first read's answer.
    const exchange = await exchangeRaw(port, `${completePost('/graphql', backupRead(1))}${completePost('/nothing', 'xxxx')}${completePost('/graphql', backupRead(2))}`);
    expect(exchange.match(/HTTP\/1\.1 \d{3} /g)).toEqual(['HTTP/1.1 200 ', 'HTTP/1.1 404 ']);
    expect(headOf(exchange.slice(exchange.indexOf('HTTP/1.1 404 ')))).toContain('connection: close');
    // Node drops the answers queued behind one that closes: the second read ran, never answered.
    expect(harness.upstreamCount()).toBe(1);
  });

  it('closes at once a WebSocket handshake sent with a body: its bytes are read as frames (guard)', async () => {
    const handshake = `GET /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-protocol: graphql-transport-ws\r\n`;
    for (const body of [UNENDED_CHUNKS, UNREACHED_LENGTH]) {
      // Upgraded, what follows the headers is no HTTP body: unmasked, it is no client frame, and ws closes with 1002.
      const exchange = await exchangeRaw(port, `${handshake}${withKey(KEY)}${body}`);
      expect(statusOf(exchange)).toBe(101);
      expect(exchange.endsWith('\r\n\r\n\x88\x02\x03\xea')).toBe(true);
    }
  });

  it('keeps the connection of a request whose body was read before its answer, and answers the next on it (guard)', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const exchange = await exchangeRaw(port, `${completePost('/graphql', body)}${completePost('/graphql', body, 'connection: close\r\n')}`);
    expect(exchange.match(/HTTP\/1\.1 200 /g)).toHaveLength(2);
    expect(headOf(exchange)).toContain('connection: keep-alive');
  });

  it.each([
    ['a Content-Length', (body: string) => `content-length: ${body.length}\r\n`, (body: string) => [body.slice(0, 9), body.slice(9)]],
    ['chunked', () => 'transfer-encoding: chunked\r\n', (body: string) => [`9\r\n${body.slice(0, 9)}\r\n`, `${(body.length - 9).toString(16)}\r\n${body.slice(9)}\r\n`, '0\r\n\r\n']],
  ])('keeps the connection of a 100-continue request whose body, %s, comes in pieces after the go-ahead, and answers the next on it (guard)', async (_framing, framing, pieces) => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    await once(socket, 'connect');
    // The body leaves only once the gateway has said go ahead: the request reached the app before any of it.
    const goAhead = new Promise<void>((resolve) => {
      let received = '';
      const onData = (chunk: Buffer): void => {
        received += chunk.toString('latin1');
        if (!received.endsWith('100 Continue\r\n\r\n')) return;
        socket.off('data', onData);
        resolve();
      };
      socket.on('data', onData);
    });
    socket.write(request('POST /graphql', `${withKey(KEY)}expect: 100-continue\r\n${framing(body)}\r\n`));
    await goAhead;
    const first = readAnswers(socket, 1);
    for (const piece of pieces(body)) socket.write(piece);
    expect((await first).map((answer) => answer.status)).toEqual([200]);
    const second = readAnswers(socket, 1);
    socket.write(completePost('/graphql', body));
    expect((await second).map((answer) => answer.status)).toEqual([200]);
    socket.destroy();
  });

  it('keeps the connection of a request without a body answered at once (guard)', async () => {
    const exchange = await exchangeRaw(port, `GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\nGET /nothing HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`);
    expect(exchange.match(/HTTP\/1\.1 \d{3} /g)).toEqual(['HTTP/1.1 200 ', 'HTTP/1.1 404 ']);
  });

  it('keeps the connection of a request declaring an empty body (Content-Length: 0) answered at once', async () => {
    // Node runs the request before it marks it complete, even with nothing to read: an empty body is no body still coming.
    const exchange = await exchangeRaw(port, `GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 0\r\n\r\nGET /nothing HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`);
    expect(exchange.match(/HTTP\/1\.1 \d{3} /g)).toEqual(['HTTP/1.1 200 ', 'HTTP/1.1 404 ']);
    expect(headOf(exchange)).toContain('connection: keep-alive');
  });
});
