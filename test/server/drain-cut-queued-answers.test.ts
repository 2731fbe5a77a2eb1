import { connect, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/harness.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { SHUTTING_DOWN_WAITING_MESSAGE } from '../../src/server/connection-turns.js';
import { SHUTTING_DOWN_UNREAD_BODY_MESSAGE } from '../../src/server/unread-bodies-at-drain.js';
import { builtGatewayBesideZomro } from './built-gateway-beside-zomro.js';
import { shellEnv, start, type Spawned } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/** A connection that wrote `bytes`; `closed` resolves with all the gateway sent once the connection closes. */
function openWith(port: number, bytes: string): { socket: Socket; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(text)));
  socket.write(bytes);
  return { socket, closed };
}

const post = (body: string): string => `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const RUNNING = post(JSON.stringify({ query: '{ instances(first: 1) { edges { node { backups { id } } } } }' }));
/** Its head whole, 1000 bytes of body said, 21 sent. */
const BODY_STILL_COMING = 'POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"query":"{ providers';
const WHOLE = post('{"query":"{ __typename }"}');

/** Each answer's status line, in the order received. */
const statusLines = (text: string): string[] => text.match(/HTTP\/1\.1 \d{3}/g) ?? [];

/**
 * A request behind one still running on its connection, unrun at the drain (its body still coming
 * when the listener closed, or whole and waiting its turn), is answered 503 SHUTTING_DOWN, queued
 * behind the running one's answer. When the drain timeout then cut the running one, its own 503
 * said `Connection: close`: node ended the connection after it and dropped the answer queued
 * behind, so the client got one answer for two requests (the log counted the second answered).
 * A second signal, whose exit does not wait for the drain (HttpDrain.answerRunningNow, then 250 ms
 * for the connections answered), cuts it the same way: a guard, it passed on the code before.
 * The compiled gateway (dist/), raw sockets: the running request is held at Zomro past the drain.
 */
const ENDINGS = [
  { ending: 'the drain timeout', drainTimeoutMs: 1_500, secondSignal: false, exitCode: 1 },
  { ending: 'a second signal (guard)', drainTimeoutMs: 30_000, secondSignal: true, exitCode: 143 },
] as const;

describe.each(ENDINGS)('$ending cutting a request with an unrun one queued behind it on its connection', ({ drainTimeoutMs, secondSignal, exitCode }) => {
  const built = builtGatewayBesideZomro();

  const launch = async (): Promise<{ gateway: Spawned; port: number; adminUrl: string }> => {
    const path = join(temp.make('bg-drain-cut-queued-'), 'config.yaml');
    writeFileSync(path, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, admin: { port: 0 }, allowAnonymous: true, anonymousRole: 'viewer', shutdown: { drainTimeoutMs, readyzGraceMs: 0 }, providers: [built.simulator().accountConfig('zomro')] }));
    const gateway = built.track(start(process.execPath, ['dist/main.js', '--config', path], shellEnv({ PORT: '0', LOG_FORMAT: 'json' })));
    const url = (await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string;
    const adminUrl = (await gateway.waitFor(/"adminUrl":"([^"]+)"/))[1] as string;
    return { gateway, port: Number(new URL(url).port), adminUrl };
  };

  it.each([
    ['its body still coming at the listener close', BODY_STILL_COMING, SHUTTING_DOWN_UNREAD_BODY_MESSAGE],
    ['whole, waiting its turn', WHOLE, SHUTTING_DOWN_WAITING_MESSAGE],
  ])('a request %s: the cut one answered 503, then it, 503 unrun, before the connection ends', async (_name, behind, message) => {
    const { gateway, port, adminUrl } = await launch();
    const hold = built.simulator().server.holdAnswersOf('instances.fleio_bckps');
    try {
      const connection = openWith(port, RUNNING);
      await hold.arrived;
      connection.socket.write(behind);
      // The admin listener's answer, asked after those bytes left, comes once the gateway has read them.
      expect((await fetch(new URL('/healthz', adminUrl))).status).toBe(200);
      gateway.child.kill('SIGTERM');
      await gateway.waitFor(/shutting down: finishing requests in flight/);
      await eventually(() => fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'answered', () => 'refused'), (outcome) => outcome === 'refused');
      if (secondSignal) gateway.child.kill('SIGTERM');
      const text = await connection.closed;
      expect(statusLines(text)).toEqual(['HTTP/1.1 503', 'HTTP/1.1 503']);
      expect(text).toContain('cut this request while it ran');
      expect(text).toContain(message);
      // The second says close, the first need not: the connection ends after both.
      expect(text.slice(text.lastIndexOf('HTTP/1.1 ')).toLowerCase()).toContain('connection: close');
      // The drain timeout's cut exits 1, counting the running one cut and the one behind it answered;
      // a second SIGTERM exits 143 without the drain.
      expect((await gateway.exited).code).toBe(exitCode);
      if (!secondSignal) expect(gateway.output()).toMatch(/"requestsCut":1\b/);
    } finally {
      hold.release();
    }
  }, 60_000);
});
