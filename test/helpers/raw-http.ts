import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

/** A request sent over a raw socket whose client stopped reading once the answer began. */
export interface PausedReader {
  socket: Socket;
  /** Reads again and resolves with every byte received once the connection closes. */
  readToEnd(): Promise<Buffer>;
}

/**
 * Sends `request` (raw HTTP/1.1) to 127.0.0.1:`port` and stops reading as
 * soon as the first bytes of the answer arrive: the server has started
 * writing it, and whatever the kernel buffers cannot take stays queued in
 * the server process (unlike fetch or undici, a paused net socket reads nothing more).
 */
export async function sendAndStopReading(port: number, request: string): Promise<PausedReader> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  // A cut answer may end in a reset rather than a close: the bytes received tell what arrived.
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(request);
  await once(socket, 'data');
  socket.pause();
  return {
    socket,
    readToEnd: async () => {
      socket.resume();
      await closed;
      return Buffer.concat(chunks);
    },
  };
}

/** A keep-alive connection that got a whole answer and now sits idle; `closed` resolves when the server closes it. */
export async function idleKeepAlive(port: number, path: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let received = '';
  const answered = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const head = received.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(received);
      if (head >= 0 && length && received.length >= head + 4 + Number(length[1])) resolve();
    });
  });
  socket.write(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: keep-alive\r\n\r\n`);
  await answered;
  return { socket, closed };
}

/** Splits an HTTP/1.1 answer (with content-length) into its head and body. */
export function splitAnswer(raw: Buffer): { head: string; contentLength: number; body: Buffer } {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end).toString('latin1');
  const contentLength = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? NaN);
  return { head, contentLength, body: raw.subarray(end + 4) };
}

/** Sends `bytes` to 127.0.0.1:`port` and resolves with everything the server sent back once it closes the connection. */
export function exchangeRaw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    socket.write(bytes);
  });
}

/** The JSON body of a raw HTTP/1.1 answer. */
export function rawAnswerBody(answer: string): unknown {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
}

/** The status code of a raw HTTP/1.1 answer (`HTTP/1.1 404 ...`). */
export const rawStatusOf = (answer: string): number => Number(answer.slice(9, 12));

/** The head of a raw HTTP/1.1 answer, lower-cased for header checks. */
export const rawHeadOf = (answer: string): string => answer.slice(0, answer.indexOf('\r\n\r\n')).toLowerCase();

/** One answer read off a raw HTTP/1.1 connection (content-length framed). */
export interface RawAnswer {
  status: number;
  body: string;
}

/**
 * Reads the answers `socket` receives, in order; resolves with the first `count` once they are
 * all whole, or rejects with what came if the connection closes before (pipelined requests'
 * answers: node sends them in the order the requests were written).
 */
export function readAnswers(socket: Socket, count: number): Promise<RawAnswer[]> {
  return new Promise((resolve, reject) => {
    let pending = Buffer.alloc(0);
    const answers: RawAnswer[] = [];
    const take = (): void => {
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? NaN);
        if (Number.isNaN(length)) return reject(new Error(`an answer without content-length: ${head}`));
        if (pending.length < end + 4 + length) return;
        answers.push({ status: Number(head.slice(9, 12)), body: pending.subarray(end + 4, end + 4 + length).toString('utf8') });
        pending = pending.subarray(end + 4 + length);
      }
    };
    const onData = (chunk: Buffer): void => {
      pending = Buffer.concat([pending, chunk]);
      take();
      if (answers.length >= count) {
        socket.off('data', onData);
        resolve(answers.slice(0, count));
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`connection closed after ${answers.length} of ${count} answers: ${answers.map((answer) => answer.status).join(', ')}`)));
  });
}
