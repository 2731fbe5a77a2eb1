import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';

const KEY = 'many-headers-viewer-key-0123456789';
/** The address the trusted proxy saw, in the X-Forwarded-For line it appends after the client's headers (HAProxy's `option forwardfor`). */
const CLIENT = '198.51.100.7';
/** More header lines than node keeps by default (it silently dropped those past about 1,000), well within the 16 KiB of headers. */
const FILLER_LINES = 1_500;

/** Sends one raw request through "the proxy" and answers its status. */
async function rawStatus(port: number, headerLines: readonly string[], body: string): Promise<number> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {});
  socket.write(
    ['POST /graphql HTTP/1.1', 'host: 127.0.0.1', 'connection: close', 'content-type: application/json', `content-length: ${Buffer.byteLength(body)}`, ...headerLines, '', body].join('\r\n'),
  );
  await once(socket, 'close');
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(chunks).toString('latin1'))?.[1]);
}

describe('a request with more header lines than node kept by default', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [withClients([{ name: 'dashboard', key: KEY, roles: ['viewer'] }]), (config) => ({ ...config, listen: { ...(config.listen as object), trustedProxies: ['loopback'] } })],
    });
  });
  afterAll(() => harness.close());

  it("keeps the trusted proxy's X-Forwarded-For appended after them: a client's own forged one does not pick its address", async () => {
    const port = Number(new URL(harness.gateway.graphqlUrl).port);
    const filler = Array.from({ length: FILLER_LINES }, (_, index) => `x-f${index}: a`);
    const statuses: number[] = [];
    // Each guess forges a fresh address of its own before the filler; the proxy appends the one it saw after it.
    for (let guess = 0; guess < 21; guess++) {
      const forged = `10.9.${guess >> 8}.${guess & 255}`;
      statuses.push(await rawStatus(port, ['authorization: Bearer wrong-key-0123456789', `x-forwarded-for: ${forged}`, ...filler, `x-forwarded-for: ${CLIENT}`], '{"query":"{ __typename }"}'));
    }
    // All 21 failures count against the address the proxy named: the 21st is held back (limits.authFailures, 20 per 60 s).
    expect(statuses.slice(0, 20)).toEqual(Array.from({ length: 20 }, () => 401));
    expect(statuses[20]).toBe(429);
  });

  it('keeps the headers after them: a body whose content-type and length come last is read', async () => {
    const port = Number(new URL(harness.gateway.graphqlUrl).port);
    const body = '{"query":"{ __typename }"}';
    const filler = Array.from({ length: FILLER_LINES }, (_, index) => `x-f${index}: a`);
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.write(['POST /graphql HTTP/1.1', 'host: 127.0.0.1', 'connection: close', `authorization: Bearer ${KEY}`, ...filler, 'content-type: application/json', `content-length: ${body.length}`, '', body].join('\r\n'));
    await once(socket, 'close');
    const answer = Buffer.concat(chunks).toString('utf8');
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('{"data":{"__typename":"Query"}}');
  });
});
