import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { type Socket, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WAITING_PER_ADDRESS } from '../../src/server/ws-server.js';
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

/**
 * Upgrades one raw socket to a WebSocket through "the proxy" and sends nothing more: the close code
 * the gateway sent at once, or null where it holds the socket waiting for connection_init (its 101
 * came and, by the gateway's next answer to a ping we send, no close frame before it).
 */
async function rawUpgrade(port: number, headerLines: readonly string[]): Promise<{ socket: Socket; closeCode: number | null }> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  let received = Buffer.alloc(0);
  const key = randomBytes(16).toString('base64');
  socket.write(
    [
      'GET /graphql HTTP/1.1',
      'host: 127.0.0.1',
      'upgrade: websocket',
      'connection: Upgrade',
      `sec-websocket-key: ${key}`,
      'sec-websocket-version: 13',
      'sec-websocket-protocol: graphql-transport-ws',
      ...headerLines,
      '',
      '',
    ].join('\r\n'),
  );
  // A masked ping with no payload: the server answers pong (0x8a) after anything it sent before.
  let pinged = false;
  for (;;) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    received = Buffer.concat([received, chunk]);
    const headEnd = received.indexOf('\r\n\r\n');
    if (headEnd < 0) continue;
    expect(received.subarray(0, 12).toString('latin1')).toBe('HTTP/1.1 101');
    const frames = received.subarray(headEnd + 4);
    if (frames.length >= 4 && frames[0] === 0x88) return { socket, closeCode: frames.readUInt16BE(2) };
    if (frames.length >= 2 && frames[0] === 0x8a) return { socket, closeCode: null };
    if (!pinged) {
      pinged = true;
      socket.write(Buffer.from([0x89, 0x80, 0, 0, 0, 0]));
    }
  }
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

  it("keeps the trusted proxy's X-Forwarded-For on a WebSocket upgrade too: forged addresses do not each get their own waiting sockets", async () => {
    const port = Number(new URL(harness.gateway.graphqlUrl).port);
    const filler = Array.from({ length: FILLER_LINES }, (_, index) => `x-f${index}: a`);
    const sockets: Socket[] = [];
    try {
      // One more than the address may hold waiting for connection_init, each forging a fresh address before the filler.
      const closeCodes: Array<number | null> = [];
      for (let guess = 0; guess <= MAX_WAITING_PER_ADDRESS; guess++) {
        const { socket, closeCode } = await rawUpgrade(port, [`x-forwarded-for: 10.8.${guess >> 8}.${guess & 255}`, ...filler, `x-forwarded-for: ${CLIENT}`]);
        sockets.push(socket);
        closeCodes.push(closeCode);
      }
      // The 51st from the address the proxy named is closed 4429 at once; those before it wait.
      expect(closeCodes.slice(0, MAX_WAITING_PER_ADDRESS)).toEqual(Array.from({ length: MAX_WAITING_PER_ADDRESS }, () => null));
      expect(closeCodes[MAX_WAITING_PER_ADDRESS]).toBe(4429);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
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
