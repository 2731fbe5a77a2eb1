import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';
import { exchangeRaw, rawAnswerBody } from '../helpers/raw-http.js';

/** The gateway's time to receive a whole request, shortened for the test (30 s in production). */
const REQUEST_TIMEOUT_MS = 500;
/** How long the test waits for the gateway to end a trickling request before calling it held. */
const HELD_AFTER_MS = 8_000;
/** The client's pace: one byte this often, so no idle timer would ever trip. */
const BYTE_EVERY_MS = 100;

/**
 * Sends `head` and then one byte of `trickle` every BYTE_EVERY_MS (a slowloris client); resolves
 * with what the gateway answered once it closes the connection, or 'held' if it is still open
 * HELD_AFTER_MS later.
 */
function trickleRequest(url: string, head: string, trickle: string): Promise<{ answer: string } | 'held'> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    let sent = 0;
    const pace = setInterval(() => {
      if (sent < trickle.length && socket.writable) socket.write(trickle.charAt(sent++));
    }, BYTE_EVERY_MS);
    const held = setTimeout(() => {
      clearInterval(pace);
      socket.destroy();
      resolve('held');
    }, HELD_AFTER_MS);
    socket.on('connect', () => socket.write(head));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearInterval(pace);
      clearTimeout(held);
      resolve({ answer: received });
    });
  });
}

describe('a client sending its request slowly (slowloris) is cut off, not held for minutes', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], requestTimeoutMs: REQUEST_TIMEOUT_MS });
  });
  afterAll(() => harness.close());

  it('ends a body sent a byte at a time with 408 (node held it for its 300 s)', async () => {
    const { host } = new URL(harness.gateway.url);
    const head = `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`;
    const outcome = await trickleRequest(harness.gateway.url, head, ' '.repeat(10_000));
    expect(outcome).not.toBe('held');
    if (outcome === 'held') return;
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 /);
    // The gateway's JSON error, as for every other refusal (node's own 408 had no body).
    expect(outcome.answer).toMatch(/\r\ncontent-type: application\/json/i);
    expect(rawAnswerBody(outcome.answer)).toEqual({
      errors: [{ message: `request not received in time: headers within ${REQUEST_TIMEOUT_MS} ms, the whole request within ${REQUEST_TIMEOUT_MS} ms`, extensions: { code: 'BAD_USER_INPUT' } }],
    });
  });

  it('ends headers sent a byte at a time (node held them for its 60 s)', async () => {
    const { host } = new URL(harness.gateway.url);
    const outcome = await trickleRequest(harness.gateway.url, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\n`, `X-Slow: ${'a'.repeat(10_000)}`);
    expect(outcome).not.toBe('held');
    if (outcome === 'held') return;
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(rawAnswerBody(outcome.answer)).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('ends headers sent a byte at a time to the admin listener too (/metrics; 0.0.0.0 in Kubernetes)', async () => {
    const { host } = new URL(harness.gateway.adminUrl);
    const outcome = await trickleRequest(harness.gateway.adminUrl, `GET /metrics HTTP/1.1\r\nHost: ${host}\r\n`, `X-Slow: ${'a'.repeat(10_000)}`);
    expect(outcome).not.toBe('held');
    if (outcome === 'held') return;
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(rawAnswerBody(outcome.answer)).toMatchObject({ errors: [{ message: expect.stringContaining(`headers within ${REQUEST_TIMEOUT_MS} ms`), extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('answers a request that is not HTTP, or headers past node\'s limit, with the gateway\'s JSON error', async () => {
    const port = Number(new URL(harness.gateway.url).port);
    const garbage = await exchangeRaw(port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(rawAnswerBody(garbage)).toEqual({ errors: [{ message: 'malformed HTTP request', extensions: { code: 'BAD_USER_INPUT' } }] });
    const { host } = new URL(harness.gateway.url);
    const huge = await exchangeRaw(port, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-Huge: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(rawAnswerBody(huge)).toEqual({ errors: [{ message: 'request headers too large', extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('lets an answer take longer than the request timeout: only receiving the request is timed', async () => {
    await harness.simulator('zomro').server.setFault({ mode: 'slow', slowMs: REQUEST_TIMEOUT_MS * 3, times: 1 });
    try {
      const answer = await harness.gql<{ instances: { totalCount: number } }>('{ instances { totalCount providerErrors { code } } }');
      expect(answer.status).toBe(200);
      expect(answer.errors).toBeUndefined();
    } finally {
      await harness.simulator('zomro').server.clearFault();
    }
  });
});
