import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * The admin listener's clients keep their connections alive too: Prometheus between scrapes, a
 * kubelet between probes. Node closes a kept-alive connection when its keep-alive timer fires, and
 * the event loop runs timers before it reads sockets, so a turn that held the loop past that time
 * closed a connection whose next scrape had already arrived: the scraper read ECONNRESET (a failed
 * scrape, `up` 0) with nothing wrong but a slow turn. As in keep-alive-after-stall.test.ts, the
 * loop is held by a busy loop in this process past the socket's own keep-alive timer, shortened.
 */
const HEALTHY = '{"status":"ok"}';

const probe = (host: string): string => `GET /healthz HTTP/1.1\r\nhost: ${host}\r\n\r\n`;

/** Holds the event loop, as a long synchronous turn does. */
const holdLoop = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: nothing else in this process runs meanwhile
  }
};

interface Connection {
  client: Socket;
  /** The admin listener's side of the connection. */
  served: Socket;
  answers(): number;
  closed: Promise<string | undefined>;
  /** Resolves when the listener's answer to the next request is written (its keep-alive timer then set). */
  nextAnswerWritten(): Promise<void>;
}

async function openAdminConnection(harness: Harness): Promise<Connection> {
  const { hostname, port } = new URL(harness.gateway.adminUrl);
  const server = harness.gateway.adminServer;
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
    answers: () => text.split(HEALTHY).length - 1,
    closed,
    nextAnswerWritten: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        server.once('request', (_req: IncomingMessage, res: ServerResponse) => res.once('finish', () => waiting.shift()?.()));
      }),
  };
}

describe('a kept-alive admin connection whose next probe arrives while the event loop is held', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('is answered, not closed with the probe unread', async () => {
    harness = await startHarness({ kinds: ['onapp'] });
    harness.gateway.adminServer.keepAliveTimeout = 100;
    const host = new URL(harness.gateway.adminUrl).host;
    const connection = await openAdminConnection(harness);
    const written = connection.nextAnswerWritten();
    connection.client.write(probe(host));
    await written;
    // Node set the connection's keep-alive timer as the answer finished.
    const keepAliveMs = connection.served.timeout ?? 0;
    expect(keepAliveMs).toBeGreaterThan(0);
    const second = connection.nextAnswerWritten();
    // The probe reaches the listener's socket at once (loopback, written synchronously)...
    connection.client.write(probe(host));
    // ...and the loop is held past the keep-alive timer before the listener could read it.
    holdLoop(keepAliveMs + 200);
    const outcome = await Promise.race([second.then(() => 'answered'), connection.closed.then((code) => `closed (${code ?? 'no error'})`)]);
    expect(outcome).toBe('answered');
    connection.client.end();
    await connection.closed;
    expect(connection.answers()).toBe(2);
  });

  it('is still closed once its keep-alive time has passed with nothing sent (a guard)', async () => {
    harness = await startHarness({ kinds: ['onapp'] });
    harness.gateway.adminServer.keepAliveTimeout = 100;
    const connection = await openAdminConnection(harness);
    const written = connection.nextAnswerWritten();
    connection.client.write(probe(new URL(harness.gateway.adminUrl).host));
    await written;
    expect(await connection.closed).toBeUndefined();
    expect(connection.answers()).toBe(1);
  });
});
