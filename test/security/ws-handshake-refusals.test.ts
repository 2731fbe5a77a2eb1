import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
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

  it('answers curl --http2 with the typed refusal, and still takes a WebSocket to /graphql', async () => {
    const curl = await promisify(execFile)('curl', ['-s', '--http2', '--max-time', '10', harness.gateway.graphqlUrl, '-H', 'content-type: application/json', '-H', `authorization: Bearer ${KEY}`, '-d', '{"query":"{ providers { id } }"}']);
    expect((JSON.parse(curl.stdout) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    const socket = new WebSocket(harness.gateway.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.close();
  });
});
