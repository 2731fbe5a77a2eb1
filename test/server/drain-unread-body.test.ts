import { connect, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/harness.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { SHUTTING_DOWN_UNREAD_BODY_MESSAGE } from '../../src/server/unread-bodies-at-drain.js';
import { builtGatewayBesideZomro } from './built-gateway-beside-zomro.js';
import { shellEnv, start, type Spawned } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/**
 * A client whose request body never ends (chunked and never closed, or a Content-Length never
 * reached) held the drain: node reads a body until the request timeout (30 s), longer than the
 * drain (10 s by default), so the drain cut it and the process exited 1, as if a request had been
 * cut mid-work, when none had run. The drain does not wait for a body not yet read: it answers
 * 503 SHUTTING_DOWN (nothing ran) with Connection: close and ends the connection.
 * The compiled gateway (dist/), as deployed; raw sockets, since no HTTP client sends a body that never ends.
 */

/** A connection that sent `head` and part of a body; `headReceived` resolves once the gateway took the headers (100 Continue). */
function startSlowBody(port: number, head: string): { socket: Socket; received: () => string; headReceived: Promise<void>; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  let text = '';
  let onContinue: () => void = () => {};
  const headReceived = new Promise<void>((resolve) => (onContinue = resolve));
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    if (text.includes('100 Continue')) onContinue();
  });
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(text)));
  socket.write(head);
  return { socket, received: () => text, headReceived, closed };
}

const POST_HEAD = 'POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nexpect: 100-continue\r\n';
const LENGTH_NEVER_REACHED = `${POST_HEAD}content-length: 1000\r\n\r\n{"query":"{ providers`;
const CHUNKED_NEVER_ENDED = `${POST_HEAD}transfer-encoding: chunked\r\n\r\n5\r\n{"que\r\n`;

/** The answer after the 100 Continue: its status and head. */
const finalAnswer = (text: string): { status: number; head: string } => {
  const final = text.slice(text.lastIndexOf('HTTP/1.1 '));
  return { status: Number(final.slice(9, 12)), head: final.slice(0, final.indexOf('\r\n\r\n')).toLowerCase() };
};

describe('the drain and a request body that never ends', () => {
  const built = builtGatewayBesideZomro();

  const launch = async (shutdown: { drainTimeoutMs: number; readyzGraceMs: number }): Promise<{ gateway: Spawned; port: number }> => {
    const path = join(temp.make('bg-drain-unread-body-'), 'config.yaml');
    writeFileSync(path, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, admin: { port: 0 }, allowAnonymous: true, anonymousRole: 'viewer', shutdown, providers: [built.simulator().accountConfig('zomro')] }));
    const gateway = built.track(start(process.execPath, ['dist/main.js', '--config', path], shellEnv({ PORT: '0', LOG_FORMAT: 'json' })));
    const url = (await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string;
    return { gateway, port: Number(new URL(url).port) };
  };

  // The request timeout (30 s) is longer than these drains: before, each case was cut at the drain timeout, exit 1.
  it('a request in flight whose body is still coming (Content-Length not reached): 503 SHUTTING_DOWN, connection closed, exit 0', async () => {
    const { gateway, port } = await launch({ drainTimeoutMs: 6_000, readyzGraceMs: 0 });
    const slow = startSlowBody(port, LENGTH_NEVER_REACHED);
    await slow.headReceived;
    gateway.child.kill('SIGTERM');
    const answer = finalAnswer(await slow.closed);
    expect(answer.status).toBe(503);
    expect(answer.head).toContain('connection: close');
    // As every other 503 SHUTTING_DOWN says: when to send it again.
    expect(answer.head).toContain('retry-after: 1');
    expect(slow.received()).toContain('SHUTTING_DOWN');
    // Says nothing ran and to send it again: a client told only the code cannot tell a cut mutation from one never run.
    expect(slow.received()).toContain(SHUTTING_DOWN_UNREAD_BODY_MESSAGE);
    expect((await gateway.exited).code).toBe(0);
    expect(gateway.output()).not.toContain('drain timeout');
  }, 60_000);

  it('a request arriving during the readyz grace with a chunked body never ended: answered 503 once the listener closes, exit 0', async () => {
    const { gateway, port } = await launch({ drainTimeoutMs: 6_000, readyzGraceMs: 1_000 });
    gateway.child.kill('SIGTERM');
    await gateway.waitFor(/shutting down: finishing requests in flight/);
    const slow = startSlowBody(port, CHUNKED_NEVER_ENDED);
    await slow.headReceived;
    const answer = finalAnswer(await slow.closed);
    expect(answer.status).toBe(503);
    expect(answer.head).toContain('connection: close');
    expect((await gateway.exited).code).toBe(0);
    expect(gateway.output()).not.toContain('drain timeout');
  }, 60_000);

  it('an idle keep-alive connection that starts a request during the grace, body unsent: answered 503, exit 0', async () => {
    const { gateway, port } = await launch({ drainTimeoutMs: 6_000, readyzGraceMs: 1_000 });
    const slow = startSlowBody(port, 'GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    await eventually(() => Promise.resolve(slow.received()), (text) => text.includes('"status":"ok"'));
    gateway.child.kill('SIGTERM');
    await gateway.waitFor(/shutting down: finishing requests in flight/);
    slow.socket.write(LENGTH_NEVER_REACHED);
    await eventually(() => Promise.resolve(slow.received()), (text) => text.includes('100 Continue'));
    const answer = finalAnswer(await slow.closed);
    expect(answer.status).toBe(503);
    expect(answer.head).toContain('connection: close');
    expect((await gateway.exited).code).toBe(0);
  }, 60_000);

  it('a request pipelined behind one in flight after the listener closed, its body still coming: answered 503 after the first, exit 0', async () => {
    const { gateway, port } = await launch({ drainTimeoutMs: 6_000, readyzGraceMs: 0 });
    const adminUrl = (await gateway.waitFor(/"adminUrl":"([^"]+)"/))[1] as string;
    const hold = built.simulator().server.holdAnswersOf('instances.fleio_bckps');
    try {
      const body = JSON.stringify({ query: '{ instances(first: 1) { edges { node { backups { id } } } } }' });
      const slow = startSlowBody(port, `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      await hold.arrived;
      gateway.child.kill('SIGTERM');
      await gateway.waitFor(/shutting down: finishing requests in flight/);
      // The listener has closed (no grace): from here only a connection with a request in flight is left.
      await eventually(() => fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'answered', () => 'refused'), (outcome) => outcome === 'refused');
      slow.socket.write(LENGTH_NEVER_REACHED.replace('expect: 100-continue\r\n', ''));
      // The admin listener's answer, asked after those bytes left, comes once the gateway has read them.
      expect((await fetch(new URL('/healthz', adminUrl))).status).toBe(200);
      hold.release();
      const text = await slow.closed;
      expect(text.startsWith('HTTP/1.1 200')).toBe(true);
      expect(finalAnswer(text).status).toBe(503);
      expect((await gateway.exited).code).toBe(0);
      expect(gateway.output()).not.toContain('drain timeout');
    } finally {
      hold.release();
    }
  }, 60_000);

  it('while serving, a body that comes after its headers is waited for and the request run', async () => {
    const { gateway, port } = await launch({ drainTimeoutMs: 6_000, readyzGraceMs: 0 });
    const body = JSON.stringify({ query: '{ __typename }' });
    const slow = startSlowBody(port, `${POST_HEAD}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`);
    await slow.headReceived;
    slow.socket.write(body);
    const answer = finalAnswer(await slow.closed);
    expect(answer.status).toBe(200);
    expect(slow.received()).toContain('"__typename":"Query"');
    gateway.child.kill('SIGTERM');
    expect((await gateway.exited).code).toBe(0);
  }, 60_000);

  it('an idle keep-alive connection that has sent half a request head when the listener closes: closed, exit 0 (a guard)', async () => {
    const { gateway, port } = await launch({ drainTimeoutMs: 6_000, readyzGraceMs: 0 });
    const slow = startSlowBody(port, 'GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    await eventually(() => Promise.resolve(slow.received()), (text) => text.includes('"status":"ok"'));
    slow.socket.write('POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\n');
    gateway.child.kill('SIGTERM');
    await slow.closed;
    expect((await gateway.exited).code).toBe(0);
  }, 60_000);
});
