import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { exchangeRaw, rawHeadOf as headOf, rawStatusOf as statusOf } from '../helpers/raw-http.js';

const KEY = 'raw-nosniff-viewer-key-0123456789';
const KEY_WEBSOCKET = 'dGhlIHNhbXBsZSBub25jZQ==';


/**
 * The refusals written before express sees the request (node's own answers redone, a request node
 * could not read, a WebSocket handshake refused) are answers of the same listeners as the rest:
 * they carry X-Content-Type-Options: nosniff too (reflected-input.test.ts checks express's).
 */
describe('refusals written before express', () => {
  let harness: Harness;
  let ports: Array<{ listener: string; port: number }>;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'viewer', key: KEY, roles: ['viewer'] }]) });
    ports = [
      { listener: 'public', port: Number(new URL(harness.gateway.url).port) },
      { listener: 'admin', port: Number(new URL(harness.gateway.adminUrl).port) },
    ];
  });
  afterAll(() => harness.close());

  it('carry X-Content-Type-Options: nosniff on both listeners', async () => {
    const requests: Record<string, string> = {
      'no host': 'GET /healthz HTTP/1.1\r\nconnection: close\r\n\r\n',
      'HTTP/2.0 line': 'GET /healthz HTTP/2.0\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n',
      'two content types': 'POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-type: text/html\r\ncontent-length: 2\r\n\r\n{}',
      'expect bogus': 'POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\nexpect: bogus\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}',
      CONNECT: 'CONNECT 127.0.0.1:1 HTTP/1.1\r\nhost: 127.0.0.1:1\r\n\r\n',
      unreadable: 'GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nno colon here\r\n\r\n',
    };
    const seen: Array<[string, number, boolean]> = [];
    for (const { listener, port } of ports) {
      for (const [what, request] of Object.entries(requests)) {
        const answer = await exchangeRaw(port, request);
        seen.push([`${listener} ${what}`, statusOf(answer), headOf(answer).includes('x-content-type-options: nosniff')]);
      }
    }
    expect(seen.every(([, status]) => status >= 400)).toBe(true);
    expect(seen).toEqual(seen.map(([label, status]) => [label, status, true]));
  });

  it('carry it on a refused WebSocket handshake', async () => {
    const { port } = ports[0]!;
    const handshake = (requestLine: string, extra: string[] = []): string =>
      [requestLine, 'host: 127.0.0.1', 'connection: Upgrade', 'upgrade: websocket', 'sec-websocket-version: 13', `sec-websocket-key: ${KEY_WEBSOCKET}`, ...extra, '', ''].join('\r\n');
    const requests: Record<string, string> = {
      'to h2c': ['GET /graphql HTTP/1.1', 'host: 127.0.0.1', 'connection: Upgrade, HTTP2-Settings', 'upgrade: h2c', 'http2-settings: AAMAAABkAAQAoAAAAAIAAAAA', '', ''].join('\r\n'),
      'on HTTP/1.0': handshake('GET /graphql HTTP/1.0'),
      'bad version': handshake('GET /graphql HTTP/1.1').replace('sec-websocket-version: 13', 'sec-websocket-version: 99'),
      'wrong path': handshake('GET /elsewhere HTTP/1.1'),
    };
    const seen: Array<[string, number, boolean]> = [];
    for (const [what, request] of Object.entries(requests)) {
      const answer = await exchangeRaw(port, request);
      seen.push([what, statusOf(answer), headOf(answer).includes('x-content-type-options: nosniff')]);
    }
    expect(seen.every(([, status]) => status >= 400)).toBe(true);
    expect(seen).toEqual(seen.map(([label, status]) => [label, status, true]));
  });
});
