import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';
import { exchangeRaw, rawAnswerBody, rawHeadOf, splitAnswer } from '../helpers/raw-http.js';

/**
 * A request node cannot read is answered by the gateway's own refusal: the status node would have
 * sent, the JSON error every other refusal carries, framed so a client reads it whole (its
 * Content-Length the body's bytes) and the connection closed after it. Beside slow-requests'
 * 408, 400 and 431: chunk extensions past node's limit (16 KiB), 413.
 */
describe('a request node cannot read is answered with the gateway\'s JSON error, framed whole', () => {
  let harness: Harness;
  let port: number;
  let host: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    const url = new URL(harness.gateway.url);
    port = Number(url.port);
    host = url.host;
  });
  afterAll(() => harness.close());

  it('answers chunk extensions past node\'s limit 413 "chunk extensions too large"', async () => {
    const request = `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1;${'x'.repeat(20_000)}\r\n{\r\n`;
    const answer = await exchangeRaw(port, request);
    expect(answer).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(rawAnswerBody(answer)).toEqual({ errors: [{ message: 'chunk extensions too large', extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('tells no whole request with a malformed one pipelined behind it that it was malformed: the connection closes, no answer read', async () => {
    const body = JSON.stringify({ query: '{ instances { edges { node { id } } } }' });
    const whole = `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    // One write: node hands the gateway the whole request, then fails on the bytes after it. A
    // client reads the first answer on a connection as its first request's.
    expect(await exchangeRaw(port, `${whole}NOT HTTP AT ALL\r\n\r\n`)).toBe('');
  });

  it('frames each refusal whole: its Content-Length the body\'s bytes, JSON in UTF-8, nosniff, the connection closed', async () => {
    for (const request of ['NOT HTTP AT ALL\r\n\r\n', `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-Huge: ${'a'.repeat(20_000)}\r\n\r\n`]) {
      const raw = await exchangeRaw(port, request);
      const { contentLength, body } = splitAnswer(Buffer.from(raw, 'latin1'));
      expect(contentLength).toBe(body.length);
      expect(contentLength).toBeGreaterThan(0);
      const head = rawHeadOf(raw);
      expect(head).toContain('\r\ncontent-type: application/json; charset=utf-8');
      expect(head).toContain('\r\nconnection: close');
      expect(head).toContain('\r\nx-content-type-options: nosniff');
    }
  });
});
