import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { exchangeRaw, rawAnswerBody, rawHeadOf as headOf, rawStatusOf as statusOf } from '../helpers/raw-http.js';

const KEY = 'node-answers-viewer-key-0123456789';

/**
 * Three requests node answered itself, on the public and the admin listener alike: an HTTP/1.1
 * request without a Host header (a bare 400, no body), a CONNECT (the connection closed
 * without a byte, as a server with no proxy does) and an Expect other than 100-continue (an empty 417); and one it read wrongly, a body in a
 * transfer coding besides chunked. Every other refusal is the gateway's JSON.
 */
describe('requests node answered itself', () => {
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

  const expectTyped = (answer: string, status: number, words: RegExp, label: string) => {
    expect(statusOf(answer), label).toBe(status);
    expect(headOf(answer), label).toContain('content-type: application/json');
    const body = rawAnswerBody(answer) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code, label).toBe('BAD_USER_INPUT');
    expect(body.errors[0]!.message, label).toMatch(words);
  };

  it('answers an HTTP/1.1 request without a Host header with a typed 400 naming the header', async () => {
    for (const { listener, port } of ports) {
      const answer = await exchangeRaw(port, `GET /healthz HTTP/1.1\r\nauthorization: Bearer ${KEY}\r\nconnection: close\r\n\r\n`);
      expectTyped(answer, 400, /Host header/, listener);
    }
  });

  it('answers a CONNECT with a typed 405: neither listener is a proxy', async () => {
    for (const { listener, port } of ports) {
      const answer = await exchangeRaw(port, 'CONNECT 127.0.0.1:1 HTTP/1.1\r\nhost: 127.0.0.1:1\r\n\r\n');
      expectTyped(answer, 405, /CONNECT/, listener);
    }
  });

  it('answers an Expect other than 100-continue with a typed 417 naming the header (node answered an empty 417)', async () => {
    for (const { listener, port } of ports) {
      const answer = await exchangeRaw(port, `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\nexpect: bogus\r\ncontent-type: application/json\r\ncontent-length: 2\r\nauthorization: Bearer ${KEY}\r\n\r\n{}`);
      expectTyped(answer, 417, /Expect header/, listener);
    }
  });

  it('answers a body in a transfer coding besides chunked with a typed 501 (node read a gzip, chunked body as plain)', async () => {
    const body = '{"query":"{ __typename }"}';
    const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    for (const { listener, port } of ports) {
      for (const codings of ['transfer-encoding: gzip, chunked', 'transfer-encoding: identity, chunked', 'transfer-encoding: gzip\r\ntransfer-encoding: chunked']) {
        const answer = await exchangeRaw(port, `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nauthorization: Bearer ${KEY}\r\n${codings}\r\n\r\n${chunked}`);
        expectTyped(answer, 501, /Transfer-Encoding/, `${listener}: ${codings}`);
      }
    }
    // Chunked alone, in any case, is read as before.
    const [publicListener] = ports;
    const plain = await exchangeRaw(publicListener!.port, `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nauthorization: Bearer ${KEY}\r\ntransfer-encoding: Chunked\r\nconnection: close\r\n\r\n${chunked}`);
    expect(statusOf(plain)).toBe(200);
    expect(rawAnswerBody(plain)).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers a request line of a version besides 1.0 and 1.1 with a typed 505 (node served HTTP/2.0 and HTTP/0.9 as HTTP/1.1)', async () => {
    for (const { listener, port } of ports) {
      for (const version of ['HTTP/2.0', 'HTTP/0.9']) {
        const answer = await exchangeRaw(port, `GET /healthz ${version}\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${KEY}\r\n\r\n`);
        expectTyped(answer, 505, /HTTP\/1\.1/, `${listener}: ${version}`);
      }
    }
  });

  it('answers an HTTP/1.0 request with Transfer-Encoding with a typed 400, its body unread (node read it chunked; a 1.0 hop in front frames it otherwise)', async () => {
    const body = '{"query":"{ __typename }"}';
    const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    for (const { listener, port } of ports) {
      const answer = await exchangeRaw(port, `POST /graphql HTTP/1.0\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nauthorization: Bearer ${KEY}\r\ntransfer-encoding: chunked\r\n\r\n${chunked}`);
      expectTyped(answer, 400, /HTTP\/1\.0 request cannot carry Transfer-Encoding/, listener);
      expect(answer).not.toContain('__typename');
    }
  });

  it('answers two Authorization lines, or two Content-Type lines, with a typed 400 naming the header (node kept the first; a proxy in front may read the last)', async () => {
    const body = '{"query":"{ __typename }"}';
    const repeated = [
      { name: 'authorization', lines: `authorization: Bearer ${KEY}\r\ncontent-type: application/json\r\nAuthorization: Bearer not-a-key` },
      { name: 'authorization', lines: `authorization: Bearer not-a-key\r\ncontent-type: application/json\r\nauthorization: Bearer ${KEY}` },
      { name: 'content-type', lines: `authorization: Bearer ${KEY}\r\ncontent-type: application/json\r\nContent-Type: text/plain` },
    ];
    for (const { listener, port } of ports) {
      for (const { name, lines } of repeated) {
        const answer = await exchangeRaw(port, `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\n${lines}\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
        expectTyped(answer, 400, new RegExp(`the ${name} header was sent on more than one line`), `${listener}: ${lines}`);
        expect(answer).not.toContain('__typename');
        expect(answer).not.toContain('not-a-key');
      }
    }
    // Headers that are lists (RFC 9110 5.3) may still come on several lines.
    const [publicListener] = ports;
    const listed = await exchangeRaw(publicListener!.port, `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${KEY}\r\ncontent-type: application/json\r\naccept: application/json\r\naccept: */*\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
    expect(statusOf(listed)).toBe(200);
    expect(rawAnswerBody(listed)).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers two Host lines with a typed 400 on every route of both listeners, not only where a guard reads the name (a proxy may route by the other line)', async () => {
    const body = '{"query":"{ __typename }"}';
    const requests = [
      { listener: 'public', head: 'GET /healthz HTTP/1.1' },
      { listener: 'public', head: 'GET /readyz HTTP/1.1' },
      { listener: 'public', head: 'GET /graphql HTTP/1.1\r\naccept: text/html' },
      { listener: 'public', head: `POST /graphql HTTP/1.1\r\nauthorization: Bearer ${KEY}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}` },
      { listener: 'admin', head: 'GET /healthz HTTP/1.1' },
      { listener: 'admin', head: 'GET /metrics HTTP/1.1' },
    ];
    for (const { listener, head } of requests) {
      const port = ports.find((entry) => entry.listener === listener)!.port;
      for (const hosts of ['host: 127.0.0.1\r\nHost: tenant-b.example', 'Host: tenant-b.example\r\nhost: 127.0.0.1', 'host: 127.0.0.1\r\nhost: 127.0.0.1']) {
        const [requestLine, ...rest] = head.split('\r\n');
        const answer = await exchangeRaw(port, [requestLine, hosts, ...rest, 'connection: close', '', head.startsWith('POST') ? body : ''].join('\r\n'));
        const label = `${listener}: ${requestLine} with ${hosts}`;
        expectTyped(answer, 400, /the host header was sent on more than one line/, label);
        expect(headOf(answer), label).toContain('x-content-type-options: nosniff');
        expect(answer, label).not.toContain('__typename');
        expect(answer, label).not.toContain('backup_graph_');
      }
    }
  });

  it('still answers an HTTP/1.0 request without a Host, and a request with one, as before', async () => {
    const [publicListener] = ports;
    const old = await exchangeRaw(publicListener!.port, 'GET /healthz HTTP/1.0\r\n\r\n');
    expect(statusOf(old)).toBe(200);
    const oldWithBody = await exchangeRaw(publicListener!.port, `POST /graphql HTTP/1.0\r\ncontent-type: application/json\r\nauthorization: Bearer ${KEY}\r\ncontent-length: 26\r\n\r\n{"query":"{ __typename }"}`);
    expect(statusOf(oldWithBody)).toBe(200);
    const withHost = await exchangeRaw(publicListener!.port, 'GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n');
    expect(statusOf(withHost)).toBe(200);
  });

  it('still answers an HTTP/1.1 request whose Host line is there and empty, as node did (RFC 9112 3.2: a valid value)', async () => {
    const [publicListener] = ports;
    const emptyHost = await exchangeRaw(publicListener!.port, 'GET /healthz HTTP/1.1\r\nhost:\r\nconnection: close\r\n\r\n');
    expect(statusOf(emptyHost)).toBe(200);
  });
});
