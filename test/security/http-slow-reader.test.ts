import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';

const STALL_MS = 500;
/** Some 9 MB: more than loopback's socket buffers take, so most of it waits in the gateway. */
const LARGE = '{ a: instances(first: 1000) { edges { node { raw backups { raw } } } } b: instances(first: 1000) { edges { node { raw backups { raw } } } } }';

/** Sends a POST of LARGE on a raw connection; the caller decides whether to read. */
function ask(port: number): Socket {
  const body = JSON.stringify({ query: LARGE });
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(`POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  return socket;
}

/** What `socket` receives until it closes: its bytes, and whether they held the whole answer its head announced. */
function receive(socket: Socket): Promise<{ bytes: number; whole: boolean }> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => {
    socket.once('close', () => {
      const all = Buffer.concat(chunks);
      const headEnd = all.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(all.subarray(0, Math.max(0, headEnd)).toString())?.[1] ?? Number.NaN);
      resolve({ bytes: all.length, whole: headEnd >= 0 && all.length - headEnd - 4 >= length });
    });
  });
}

interface LogLine {
  msg: string;
  level: number;
  unsentBytes?: number;
}

/**
 * An HTTP answer is written whole and waits in the process until the client takes it: a client
 * that asked for a large one and read nothing held it for as long as it kept the connection
 * open (10 such connections held some 50 MB, an address may open 256). A connection whose
 * client takes none of its answer in a whole period is closed, as a WebSocket's is.
 */
describe('an HTTP client that takes none of its answer in a whole period is dropped', () => {
  let harness: Harness;
  let port: number;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], simulator: { instances: 1000, backupsPerInstance: 10 }, answerStallMs: STALL_MS });
    port = Number(new URL(harness.gateway.graphqlUrl).port);
  });
  afterAll(() => harness.close());

  it('closes the connection of a client that reads nothing, and says so once in the log', async () => {
    const socket = ask(port);
    socket.pause();
    try {
      // Building the answer takes a few seconds; then two periods at most.
      const lines = await eventually(
        async () => harness.logs.map((text) => JSON.parse(text) as LogLine).filter((line) => line.msg === 'HTTP connection closed: the client is not reading its answer'),
        (found) => found.length > 0,
        { timeoutMs: 20_000 },
      );
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 40 });
      expect(lines[0]!.unsentBytes).toBeGreaterThan(0);
      // A paused socket sees nothing of the close: read what reached it, then the end, short of the answer.
      const received = receive(socket);
      socket.resume();
      const { bytes, whole } = await received;
      expect(whole).toBe(false);
      expect(bytes).toBeGreaterThan(0);
    } finally {
      socket.destroy();
    }
  });

  it('keeps a client that reads slowly but reads, to the whole answer', async () => {
    const socket = ask(port);
    socket.pause();
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // Reading, then not, by turns several times a period.
    const reading = setInterval(() => (socket.isPaused() ? socket.resume() : socket.pause()), STALL_MS / 5);
    try {
      const received = await new Promise<Buffer>((resolve, reject) => {
        const check = () => {
          const all = Buffer.concat(chunks);
          const headEnd = all.indexOf('\r\n\r\n');
          const length = Number(/content-length: (\d+)/i.exec(all.subarray(0, Math.max(0, headEnd)).toString())?.[1] ?? NaN);
          if (headEnd >= 0 && all.length - headEnd - 4 >= length) resolve(all.subarray(headEnd + 4));
        };
        socket.on('data', check);
        socket.once('close', () => reject(new Error(`closed after ${Buffer.concat(chunks).length} bytes; ${harness.logs.filter((line) => line.includes('not reading')).join(' ')}`)));
      });
      expect(received.length).toBeGreaterThan(5_000_000);
      expect((JSON.parse(received.toString('utf8')) as { errors?: unknown }).errors).toBeUndefined();
    } finally {
      clearInterval(reading);
      socket.destroy();
    }
  });
});
