import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/** A hold on the OnApp API's answers: `held` once one waits, `cut` once the gateway gives it up (closes it unanswered). */
interface Hold {
  held: Promise<void>;
  cut: Promise<void>;
}

/** An OnApp API answering `[]`, each request waiting while a hold is on (`hold()`, till `release()`). */
async function holdingOnapp(): Promise<{ server: Server; url: string; hold(): Hold; release(): void }> {
  let current: (Hold & { markHeld(): void; markCut(): void; released: Promise<void>; release(): void }) | undefined;
  const server = createServer((_req, res) => {
    const answer = (): void => void res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    const hold = current;
    if (hold === undefined) return answer();
    res.on('close', () => {
      if (!res.writableEnded) hold.markCut();
    });
    hold.markHeld();
    void hold.released.then(answer);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const release = (): void => {
    current?.release();
    current = undefined;
  };
  const hold = (): Hold => {
    release();
    let markHeld = (): void => undefined;
    let markCut = (): void => undefined;
    let releaseIt = (): void => undefined;
    const held = new Promise<void>((resolve) => (markHeld = resolve));
    const cut = new Promise<void>((resolve) => (markCut = resolve));
    const released = new Promise<void>((resolve) => (releaseIt = resolve));
    current = { held, cut, released, markHeld: () => markHeld(), markCut: () => markCut(), release: () => releaseIt() };
    return { held, cut };
  };
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hold, release };
}

const post = (body: Buffer, encoding?: string): Buffer =>
  Buffer.concat([
    Buffer.from(`POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${encoding ? `content-encoding: ${encoding}\r\n` : ''}content-length: ${body.length}\r\n\r\n`),
    body,
  ]);

/** Writes `bytes` and half-closes; resolves with all the gateway sent once it ends the connection. */
function halfClosedExchange(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('end', () => resolve(received));
    socket.end(bytes);
  });
}

/**
 * A client that half-closes its connection is gone, as node took it before the gateway kept such
 * connections open for a body being read (half-closed-bodies.ts): a request of its still running
 * is cut (its upstream reads cancelled), though a body pipelined behind it is still being read.
 */
describe('a half-closed connection with a request running and a body pipelined behind it', () => {
  let harness: Harness;
  let holding: Awaited<ReturnType<typeof holdingOnapp>>;
  let port: number;
  beforeAll(async () => {
    holding = await holdingOnapp();
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ url: holding.url }, 'onapp') });
    port = Number(new URL(harness.gateway.url).port);
  });
  afterAll(async () => {
    holding.release();
    await harness.close();
    holding.server.close();
  });

  const query = (text: string): Buffer => Buffer.from(JSON.stringify({ query: text }));
  const running = post(query('{ instances(first: 1) { totalCount } }'));
  // Plain JSON said to be gzip: refused once the decoder (off the main thread) fails, after the client's end.
  const lying = post(query('{ __typename }'), 'gzip');

  it('the running request is cut at the client end, its upstream read given up, nothing answered', async () => {
    const hold = holding.hold();
    const exchange = halfClosedExchange(port, Buffer.concat([running, lying]));
    await hold.held;
    await hold.cut;
    expect(await exchange).toBe('');
    holding.release();
  });

  it('guard: a request running alone is cut at the client end, nothing answered', async () => {
    const hold = holding.hold();
    const exchange = halfClosedExchange(port, running);
    await hold.held;
    await hold.cut;
    expect(await exchange).toBe('');
    holding.release();
  });

  it('guard: a connection idle after its answer (keep-alive) is ended at the client end', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('{"data":{"__typename":"Query"}}')) socket.end();
    });
    socket.write(post(query('{ __typename }')));
    await once(socket, 'end');
    expect(received.startsWith('HTTP/1.1 200 OK')).toBe(true);
  });
});
