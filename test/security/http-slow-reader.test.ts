import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';
import { sendAndStopReading } from '../helpers/raw-http.js';

const STALL_MS = 500;
/** Some 9 MB: more than loopback's socket buffers take, so most of it waits in the gateway. */
const LARGE = '{ a: instances(first: 1000) { edges { node { raw backups { raw } } } } b: instances(first: 1000) { edges { node { raw backups { raw } } } } }';

/** A POST of LARGE. */
function largeRequest(): string {
  const body = JSON.stringify({ query: LARGE });
  return `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Sends a POST of LARGE on a raw connection; the caller decides whether to read. */
function ask(port: number): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(largeRequest());
  return socket;
}

/** How long building LARGE's answer took under a load average of 18 on two cores: 26 s. The periods are what is measured. */
const BUILD_UNDER_LOAD_MS = 60_000;

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
    // Its first bytes: the answer is built and being written (building it took 26 s under load).
    const { socket } = await sendAndStopReading(port, largeRequest());
    try {
      // Two periods at most, or some more under load.
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
  }, BUILD_UNDER_LOAD_MS);

  it('keeps a client that reads slowly but reads, to the whole answer', async () => {
    const socket = ask(port);
    socket.pause();
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // Reading, then not, by turns several times a period.
    const reading = setInterval(() => (socket.isPaused() ? socket.resume() : socket.pause()), STALL_MS / 5);
    try {
      const received = await new Promise<Buffer>((resolve, reject) => {
        // Joined once the head is in and once at the end: joining 9 MB at every chunk cost seconds of CPU under load.
        let receivedBytes = 0;
        let wholeBytes = Number.POSITIVE_INFINITY;
        const check = (chunk: Buffer) => {
          receivedBytes += chunk.length;
          if (wholeBytes === Number.POSITIVE_INFINITY) {
            const all = Buffer.concat(chunks);
            const headEnd = all.indexOf('\r\n\r\n');
            const length = Number(/content-length: (\d+)/i.exec(all.subarray(0, Math.max(0, headEnd)).toString())?.[1] ?? NaN);
            if (headEnd >= 0) wholeBytes = headEnd + 4 + length;
          }
          if (receivedBytes >= wholeBytes) {
            const all = Buffer.concat(chunks);
            resolve(all.subarray(all.indexOf('\r\n\r\n') + 4));
          }
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
  }, BUILD_UNDER_LOAD_MS);
});
