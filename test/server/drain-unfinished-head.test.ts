import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dirs.js';
import { SHUTTING_DOWN_UNFINISHED_HEAD_MESSAGE } from '../../src/server/unfinished-heads-at-drain.js';
import { builtGatewayBesideZomro } from './built-gateway-beside-zomro.js';
import { shellEnv, start, type Spawned } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/**
 * A request whose headers were still arriving when the listener closed was destroyed unread:
 * node keeps such a connection at close() (its request has begun), Apollo's drain ended it as
 * owing nothing, and the rest of the headers met an ended connection (a reset, no answer). It is
 * answered 503 SHUTTING_DOWN now, unrun. The compiled gateway (dist/), raw sockets: no HTTP client
 * sends half its headers and waits.
 */

const BODY = JSON.stringify({ query: '{ instances(first: 1) { edges { node { backups { id } } } } }' });
const FIRST_HALF = 'POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: appl';
const SECOND_HALF = `ication/json\r\ncontent-length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY}`;

const UPGRADE_FIRST_HALF = 'GET /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-ver';
const UPGRADE_SECOND_HALF = `sion: 13\r\nsec-websocket-key: ${randomBytes(16).toString('base64')}\r\nsec-websocket-protocol: graphql-transport-ws\r\n\r\n`;

function halfSent(port: number, firstHalf = FIRST_HALF): { socket: Socket; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(text)));
  socket.write(firstHalf);
  return { socket, closed };
}

/** The value of one series of /metrics' text, NaN when it is not there. */
const seriesValue = (metrics: string, series: string): number => {
  const line = metrics.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
};

/** The whole request (head and body) the connection's first answer answers. */
const WHOLE_REQUEST = `${FIRST_HALF}${SECOND_HALF}`;

/** Resolves with the text once the first answer on the connection has all come (its content-length). */
function firstAnswer(socket: Socket): Promise<string> {
  let text = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(text.slice(0, end))?.[1];
      if (end < 0 || length === undefined || text.length < end + 4 + Number(length)) return;
      socket.off('data', onData);
      resolve(text);
    };
    socket.on('data', onData);
  });
}

/** How many HTTP answers the text holds. */
const answersIn = (text: string): number => text.split('HTTP/1.1 ').length - 1;

const headOf = (text: string): string => text.slice(0, text.indexOf('\r\n\r\n')).toLowerCase();

describe('the drain and a request whose headers are still arriving', () => {
  const built = builtGatewayBesideZomro();

  const launch = async (): Promise<{ gateway: Spawned; port: number; adminUrl: string }> => {
    const path = join(temp.make('bg-drain-unfinished-head-'), 'config.yaml');
    writeFileSync(path, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, admin: { port: 0 }, allowAnonymous: true, anonymousRole: 'viewer', shutdown: { drainTimeoutMs: 6_000, readyzGraceMs: 0 }, providers: [built.simulator().accountConfig('zomro')] }));
    const gateway = built.track(start(process.execPath, ['dist/main.js', '--config', path], shellEnv({ PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info' })));
    const url = (await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string;
    const adminUrl = (await gateway.waitFor(/"adminUrl":"([^"]+)"/))[1] as string;
    return { gateway, port: Number(new URL(url).port), adminUrl };
  };

  it('the rest of the headers sent after the listener closed: 503 SHUTTING_DOWN with Retry-After and Connection: close, unrun, exit 0', async () => {
    const { gateway, port, adminUrl } = await launch();
    const half = halfSent(port);
    // The admin listener's answer, asked after the half left, comes once the gateway has read it.
    expect((await fetch(new URL('/healthz', adminUrl))).status).toBe(200);
    built.simulator().server.resetLog();
    gateway.child.kill('SIGTERM');
    // No readyz grace: the listener has closed by the time this line is written.
    await gateway.waitFor(/shutting down: finishing requests in flight/);
    half.socket.write(SECOND_HALF);
    const text = await half.closed;
    expect(text.startsWith('HTTP/1.1 503')).toBe(true);
    expect(headOf(text)).toContain('connection: close');
    expect(headOf(text)).toContain('retry-after: 1');
    expect(headOf(text)).toContain('content-type: application/json');
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({ errors: [{ message: SHUTTING_DOWN_UNFINISHED_HEAD_MESSAGE, extensions: { code: 'SHUTTING_DOWN' } }] });
    expect((await gateway.exited).code).toBe(0);
    expect(built.simulator().server.count()).toBe(0);
    expect(gateway.output()).toContain('"head_unfinished":1');
  }, 60_000);

  it('a WebSocket upgrade whose headers come after the listener closed: 503 SHUTTING_DOWN as soon as they do, not at the end of the wait for headers', async () => {
    const { gateway, port, adminUrl } = await launch();
    // Headers that never finish hold the wait for headers to its end, and the drain (the admin listener with it) open till then.
    const never = halfSent(port);
    const upgrade = halfSent(port, UPGRADE_FIRST_HALF);
    expect((await fetch(new URL('/healthz', adminUrl))).status).toBe(200);
    gateway.child.kill('SIGTERM');
    await gateway.waitFor(/shutting down: finishing requests in flight/);
    upgrade.socket.write(UPGRADE_SECOND_HALF);
    const text = await upgrade.closed;
    expect(text.startsWith('HTTP/1.1 503')).toBe(true);
    expect(headOf(text)).toContain('retry-after: 1');
    expect(text).toContain(SHUTTING_DOWN_UNFINISHED_HEAD_MESSAGE);
    // Answered before the wait's end, which answers the headers that never finish: the upgrade's
    // refusal alone is counted yet. Before, both were answered together at the wait's end (1 s).
    const metrics = await (await fetch(new URL('/metrics', adminUrl))).text();
    expect(seriesValue(metrics, 'backup_graph_drain_refusals_total{reason="head_unfinished"}')).toBe(1);
    expect(await never.closed).toContain(SHUTTING_DOWN_UNFINISHED_HEAD_MESSAGE);
    expect((await gateway.exited).code).toBe(0);
    expect(gateway.output()).toContain('"head_unfinished":2');
  }, 60_000);

  it('the next request begun in the same read as the end of the last one, its headers finished after the listener closed: 503 SHUTTING_DOWN, unrun, not a closed connection', async () => {
    const { gateway, port } = await launch();
    // One write, so one read: the whole request and the first half of the next one's headers.
    const pipelined = halfSent(port, `${WHOLE_REQUEST}${FIRST_HALF}`);
    const first = await firstAnswer(pipelined.socket);
    expect(first.startsWith('HTTP/1.1 200')).toBe(true);
    built.simulator().server.resetLog();
    gateway.child.kill('SIGTERM');
    await gateway.waitFor(/shutting down: finishing requests in flight/);
    pipelined.socket.write(SECOND_HALF);
    // Before, the drain closed the connection as idle: the first answer alone, the second request dropped unanswered.
    const text = await pipelined.closed;
    expect(answersIn(text)).toBe(2);
    const second = text.slice(first.length);
    expect(second.startsWith('HTTP/1.1 503')).toBe(true);
    expect(headOf(second)).toContain('connection: close');
    expect(second).toContain(SHUTTING_DOWN_UNFINISHED_HEAD_MESSAGE);
    expect((await gateway.exited).code).toBe(0);
    expect(built.simulator().server.count()).toBe(0);
    expect(gateway.output()).toContain('"head_unfinished":1');
  }, 60_000);

  it('an empty line after an answered request (a CRLF after its body, read on its own) is no request: the drain closes the connection without a 503', async () => {
    const { gateway, port, adminUrl } = await launch();
    const answered = halfSent(port, WHOLE_REQUEST);
    await firstAnswer(answered.socket);
    // HTTP/1.1 lets a client send empty lines before a request line; some send a CRLF after a body.
    answered.socket.write('\r\n');
    expect((await fetch(new URL('/healthz', adminUrl))).status).toBe(200);
    gateway.child.kill('SIGTERM');
    // Before, the CRLF was read as headers begun: held the 1 s wait, then answered 503 for nothing.
    const text = await answered.closed;
    expect(answersIn(text)).toBe(1);
    expect(text.startsWith('HTTP/1.1 200')).toBe(true);
    expect((await gateway.exited).code).toBe(0);
    expect(gateway.output()).not.toContain('head_unfinished');
  }, 60_000);

  it('a connection that has sent nothing (a spare a client opened ahead) is no request: the drain closes it without a 503', async () => {
    const { gateway, port, adminUrl } = await launch();
    const spare = halfSent(port, '');
    // Node's parser times a connection from its accept, before any byte: read as headers begun, it was held the 1 s wait and answered 503 for nothing.
    expect((await fetch(new URL('/healthz', adminUrl))).status).toBe(200);
    gateway.child.kill('SIGTERM');
    expect(await spare.closed).toBe('');
    expect((await gateway.exited).code).toBe(0);
    expect(gateway.output()).not.toContain('head_unfinished');
  }, 60_000);

  it('headers that never finish: answered 503 SHUTTING_DOWN in their place, connection ended, exit 0 well within the drain', async () => {
    const { gateway, port, adminUrl } = await launch();
    const half = halfSent(port);
    expect((await fetch(new URL('/healthz', adminUrl))).status).toBe(200);
    built.simulator().server.resetLog();
    gateway.child.kill('SIGTERM');
    const text = await half.closed;
    expect(text.startsWith('HTTP/1.1 503')).toBe(true);
    expect(headOf(text)).toContain('connection: close');
    expect(headOf(text)).toContain('retry-after: 1');
    expect(text).toContain(SHUTTING_DOWN_UNFINISHED_HEAD_MESSAGE);
    expect((await gateway.exited).code).toBe(0);
    expect(gateway.output()).not.toContain('drain timeout');
    expect(built.simulator().server.count()).toBe(0);
  }, 60_000);
});
