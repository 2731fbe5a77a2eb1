import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * Node closes a kept-alive connection when its keep-alive timer fires, and the event loop runs
 * timers before it reads sockets. A turn that held the loop past that time (a large answer
 * scrubbed on a starved CPU: CI's scrub-turns test under a load of 15-20 on two cores) let the
 * timer close a connection whose client had already sent its next request: the client read
 * ECONNRESET with the request unanswered, and cannot tell whether it ran. Here the loop is held
 * by a busy loop in this process, the gateway's, past the socket's own keep-alive timer (node adds
 * a second to keepAliveTimeout; shortened here so the hold is about a second, not six).
 */
const ASK = JSON.stringify({ query: '{ __typename }' });
const ANSWERED = '{"data":{"__typename":"Query"}}';

const request = (host: string): string => `POST /graphql HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(ASK)}\r\n\r\n${ASK}`;

/** Holds the event loop, as a long synchronous turn does. */
const holdLoop = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: nothing else in this process runs meanwhile
  }
};

interface Connection {
  client: Socket;
  /** The gateway's side of the connection. */
  served: Socket;
  answers(): number;
  closed: Promise<string | undefined>;
  /** Resolves when the gateway's answer to the next request is written (its keep-alive timer then set). */
  nextAnswerWritten(): Promise<void>;
}

async function openConnection(harness: Harness): Promise<Connection> {
  const { hostname, port } = new URL(harness.gateway.graphqlUrl);
  const server = harness.gateway.httpServer;
  const served = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const client = connect(Number(port), hostname);
  let text = '';
  const waiting: Array<() => void> = [];
  client.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  const closed = new Promise<string | undefined>((resolve) => {
    let code: string | undefined;
    client.on('error', (error: NodeJS.ErrnoException) => (code = error.code));
    client.on('close', () => resolve(code));
  });
  await new Promise<void>((resolve) => client.once('connect', resolve));
  return {
    client,
    served: await served,
    answers: () => text.split(ANSWERED).length - 1,
    closed,
    nextAnswerWritten: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        server.once('request', (_req: IncomingMessage, res: ServerResponse) => res.once('finish', () => waiting.shift()?.()));
      }),
  };
}

describe('a kept-alive connection whose next request arrives while the event loop is held', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('is answered, not closed with the request unread', async () => {
    harness = await startHarness({ kinds: ['onapp'] });
    harness.gateway.httpServer.keepAliveTimeout = 100;
    const connection = await openConnection(harness);
    const written = connection.nextAnswerWritten();
    connection.client.write(request(new URL(harness.gateway.graphqlUrl).host));
    await written;
    // Node set the connection's keep-alive timer as the answer finished.
    const keepAliveMs = connection.served.timeout ?? 0;
    expect(keepAliveMs).toBeGreaterThan(0);
    const second = connection.nextAnswerWritten();
    // The request reaches the gateway's socket at once (loopback, written synchronously)...
    connection.client.write(request(new URL(harness.gateway.graphqlUrl).host));
    // ...and the loop is held past the keep-alive timer before the gateway could read it.
    holdLoop(keepAliveMs + 200);
    const outcome = await Promise.race([second.then(() => 'answered'), connection.closed.then((code) => `closed (${code ?? 'no error'})`)]);
    expect(outcome).toBe('answered');
    connection.client.end();
    await connection.closed;
    expect(connection.answers()).toBe(2);
  });

  it('is still closed once its keep-alive time has passed with nothing sent (a guard)', async () => {
    harness = await startHarness({ kinds: ['onapp'] });
    harness.gateway.httpServer.keepAliveTimeout = 100;
    const connection = await openConnection(harness);
    const written = connection.nextAnswerWritten();
    connection.client.write(request(new URL(harness.gateway.graphqlUrl).host));
    await written;
    expect(await connection.closed).toBeUndefined();
    expect(connection.answers()).toBe(1);
  });
});
