import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ADMIN_UPGRADE_REFUSED } from '../../src/server/admin-upgrade.js';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { exchangeRaw, rawAnswerBody, rawHeadOf as headOf, rawStatusOf as statusOf } from '../helpers/raw-http.js';

const KEY = 'handshake-viewer-key-0123456789';
const KEY_WEBSOCKET = 'dGhlIHNhbXBsZSBub25jZQ==';

/** A request to /graphql with an Upgrade header, answered over a raw socket. */
const upgradeRequest = (lines: string[], body = ''): string =>
  [...lines, 'host: 127.0.0.1', 'connection: Upgrade', ...(body ? ['content-type: application/json', `content-length: ${Buffer.byteLength(body)}`] : []), '', body].join('\r\n');


/**
 * An upgrade ws refuses (one to h2c, a handshake with a bad key or version, a method other than GET)
 * was answered by ws itself: text/html "Invalid Upgrade header", no code. `curl --http2` against
 * the gateway offers h2c on every request, and got "Invalid HTTP method" for its POST.
 */
describe('WebSocket handshakes the gateway cannot take', () => {
  let harness: Harness;
  let port: number;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'viewer', key: KEY, roles: ['viewer'] }]) });
    port = Number(new URL(harness.gateway.url).port);
  });
  afterAll(() => harness.close());

  const refusal = async (request: string) => {
    const answer = await exchangeRaw(port, request);
    expect(headOf(answer)).toContain('content-type: application/json');
    return { status: statusOf(answer), head: headOf(answer), body: rawAnswerBody(answer) as { errors: Array<{ message: string; extensions: { code: string } }> } };
  };

  it('answers an upgrade to another protocol (h2c, as curl --http2 offers it) with a typed 400 saying to send plain HTTP/1.1', async () => {
    const body = JSON.stringify({ query: '{ providers { id } }' });
    for (const method of ['POST', 'GET']) {
      const answer = await refusal(upgradeRequest([`${method} /graphql HTTP/1.1`, 'upgrade: h2c', 'http2-settings: AAMAAABkAAQCAAAAAAIAAAAA', `authorization: Bearer ${KEY}`], method === 'POST' ? body : ''));
      expect(answer.status, method).toBe(400);
      expect(answer.body.errors).toHaveLength(1);
      expect(answer.body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
      expect(answer.body.errors[0]!.message).toMatch(/websocket only.*--http1\.1/);
    }
  });

  it('answers a WebSocket handshake whose request line says HTTP/1.0 or HTTP/2.0 with a typed 400 (ws switched protocols on both)', async () => {
    for (const version of ['HTTP/1.0', 'HTTP/2.0']) {
      const answer = await refusal(upgradeRequest([`GET /graphql ${version}`, 'upgrade: websocket', 'sec-websocket-version: 13', `sec-websocket-key: ${KEY_WEBSOCKET}`, 'sec-websocket-protocol: graphql-transport-ws']));
      expect(answer.status, version).toBe(400);
      expect(answer.body.errors[0]!.extensions.code, version).toBe('BAD_USER_INPUT');
      expect(answer.body.errors[0]!.message, version).toBe('WebSocket handshake refused: a WebSocket handshake is sent as HTTP/1.1 (RFC 6455 4.1)');
    }
  });

  it("answers a malformed WebSocket handshake with a typed error naming what is wrong (ws's own words), not ws's text/html", async () => {
    const cases: Array<{ lines: string[]; status: number; words: RegExp }> = [
      { lines: ['GET /graphql HTTP/1.1', 'upgrade: websocket', 'sec-websocket-key: short', 'sec-websocket-version: 13'], status: 400, words: /Sec-WebSocket-Key/ },
      { lines: ['GET /graphql HTTP/1.1', 'upgrade: websocket', `sec-websocket-key: ${KEY_WEBSOCKET}`, 'sec-websocket-version: 99'], status: 400, words: /Sec-WebSocket-Version/ },
      { lines: ['GET /graphql HTTP/1.1', 'upgrade: websocket', `sec-websocket-key: ${KEY_WEBSOCKET}`, 'sec-websocket-version: 13', 'sec-websocket-protocol: ,,'], status: 400, words: /Sec-WebSocket-Protocol/ },
      { lines: ['POST /graphql HTTP/1.1', 'upgrade: websocket', `sec-websocket-key: ${KEY_WEBSOCKET}`, 'sec-websocket-version: 13'], status: 405, words: /GET/ },
    ];
    for (const { lines, status, words } of cases) {
      const answer = await refusal(upgradeRequest(lines));
      expect(answer.status, lines.join(' ')).toBe(status);
      expect(answer.body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
      expect(answer.body.errors[0]!.message).toMatch(words);
    }
  });

  it('answers an upgrade to another protocol at another path (a route that exists) with the same 400, not 404 "not found"', async () => {
    const answer = await refusal(upgradeRequest(['GET /healthz HTTP/1.1', 'upgrade: h2c', 'http2-settings: AAMAAABkAAQCAAAAAAIAAAAA']));
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]!.message).toMatch(/websocket only.*--http1\.1/);
    const elsewhere = await exchangeRaw(port, upgradeRequest(['GET /elsewhere HTTP/1.1', 'upgrade: websocket', `sec-websocket-key: ${KEY_WEBSOCKET}`, 'sec-websocket-version: 13']));
    expect(statusOf(elsewhere)).toBe(404);
  });

  it('answers a WebSocket handshake with two Host lines, or none, with a typed 400, as an HTTP request is (ws switched protocols on both)', async () => {
    const handshake = ['GET /graphql HTTP/1.1', 'upgrade: websocket', 'connection: Upgrade', 'sec-websocket-version: 13', `sec-websocket-key: ${KEY_WEBSOCKET}`, 'sec-websocket-protocol: graphql-transport-ws'];
    const cases = [
      { hosts: ['host: 127.0.0.1', 'Host: tenant-b.example'], words: 'WebSocket handshake refused: the host header was sent on more than one line: send it once' },
      { hosts: ['host: tenant-b.example', 'host: 127.0.0.1'], words: 'WebSocket handshake refused: the host header was sent on more than one line: send it once' },
      { hosts: [], words: 'WebSocket handshake refused: an HTTP/1.1 request needs a Host header (the name or address it is sent to)' },
    ];
    for (const { hosts, words } of cases) {
      const answer = await exchangeRaw(port, [...handshake, ...hosts, '', ''].join('\r\n'));
      const label = hosts.join(', ') || 'no Host';
      expect(statusOf(answer), label).toBe(400);
      expect(headOf(answer), label).toContain('content-type: application/json');
      expect(headOf(answer), label).toContain('x-content-type-options: nosniff');
      expect(rawAnswerBody(answer), label).toEqual({ errors: [{ message: words, extensions: { code: 'BAD_USER_INPUT' } }] });
    }
  });

  it('answers every upgrade to the admin listener with a typed 400 (node served a WebSocket handshake as a plain request: the metrics, the connection kept)', async () => {
    const adminPort = Number(new URL(harness.gateway.adminUrl).port);
    const upgrades = [
      ['GET /metrics HTTP/1.1', 'upgrade: websocket', 'sec-websocket-version: 13', `sec-websocket-key: ${KEY_WEBSOCKET}`],
      ['GET /graphql HTTP/1.1', 'upgrade: websocket', 'sec-websocket-version: 13', `sec-websocket-key: ${KEY_WEBSOCKET}`, 'sec-websocket-protocol: graphql-transport-ws'],
      ['GET /healthz HTTP/1.1', 'upgrade: h2c', 'http2-settings: AAMAAABkAAQCAAAAAAIAAAAA'],
    ];
    for (const lines of upgrades) {
      // exchangeRaw resolves once the server closes the connection: a kept one is the test's timeout.
      const answer = await exchangeRaw(adminPort, upgradeRequest(lines));
      expect(statusOf(answer), lines[0]).toBe(400);
      expect(headOf(answer), lines[0]).toContain('x-content-type-options: nosniff');
      expect(rawAnswerBody(answer), lines[0]).toEqual({ errors: [{ message: ADMIN_UPGRADE_REFUSED, extensions: { code: 'BAD_USER_INPUT' } }] });
      expect(answer, lines[0]).not.toContain('backup_graph_');
    }
    // A ws client is told so, not left waiting.
    const socket = new WebSocket(harness.gateway.adminUrl.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
    const status = await new Promise<number>((resolve, reject) => {
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.once('open', () => reject(new Error('the admin listener took a WebSocket')));
    });
    expect(status).toBe(400);
    // Plain requests are answered as before.
    expect(statusOf(await exchangeRaw(adminPort, 'GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n'))).toBe(200);
  });

  it('answers curl --http2 with the typed refusal, and still takes a WebSocket to /graphql', async () => {
    const curl = await promisify(execFile)('curl', ['-s', '--http2', '--max-time', '10', harness.gateway.graphqlUrl, '-H', 'content-type: application/json', '-H', `authorization: Bearer ${KEY}`, '-d', '{"query":"{ providers { id } }"}']);
    expect((JSON.parse(curl.stdout) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    const socket = new WebSocket(harness.gateway.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.close();
  });
});
