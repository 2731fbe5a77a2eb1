import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SHUTTING_DOWN_UPGRADE_MESSAGE } from '../../src/server/unfinished-heads-at-drain.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';

/** 240 VMs of 100 KB: a 24 MB answer, far more than loopback's kernel buffers take, so it is still being written when the drain begins. */
const VMS = 240;
const PADDING = 'p'.repeat(100_000);
const post = (query: string): string => {
  const body = JSON.stringify({ query });
  return `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};
const UPGRADE = `GET /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-version: 13\r\nsec-websocket-key: ${randomBytes(16).toString('base64')}\r\nsec-websocket-protocol: graphql-transport-ws\r\n\r\n`;

/** An OnApp API with no VMs whose answers, once `hold()` is called, wait for `release()`; `held` resolves once one waits. */
async function holdingOnapp(): Promise<{ server: Server; url: string; hold(): void; held: Promise<void>; release(): void }> {
  let holding = false;
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let markHeld = (): void => undefined;
  const held = new Promise<void>((resolve) => (markHeld = resolve));
  const server = createServer((_req, res) => {
    const answer = (): void => void res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    if (!holding) return answer();
    markHeld();
    void released.then(answer);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hold: () => void (holding = true), held, release };
}

/** An OnApp API whose VM list is VMS records of 100 KB each. */
async function bigOnapp(): Promise<{ server: Server; url: string }> {
  const vm = (id: number) => `{"virtual_machine":{"id":${id},"label":"vm-${id}","identifier":"i${id}","padding":"${PADDING}"}}`;
  const list = `[${Array.from({ length: VMS }, (_, index) => vm(index + 1)).join(',')}]`;
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url?.startsWith('/virtual_machines.json') ? list : '[]');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * An answer begun before the signal says keep-alive, so its connection is open into the drain
 * until Apollo's drain ends it, which waits for the WebSocket connections answering an operation
 * (here: one whose upstream read is held till the upgrade is answered). A WebSocket upgrade sent on it then was answered by nobody (the
 * WebSocket server takes no upgrade during the drain) and met that end, no answer; it is answered
 * 503 SHUTTING_DOWN at once, as an upgrade whose headers were still arriving is.
 */
describe('a WebSocket upgrade on a connection kept alive into the drain (the compiled gateway)', () => {
  let upstream: Awaited<ReturnType<typeof bigOnapp>>;
  let holding: Awaited<ReturnType<typeof holdingOnapp>>;
  let directory: string;
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    upstream = await bigOnapp();
    holding = await holdingOnapp();
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-upgrade-kept-alive-'));
    const configFile = join(directory, 'config.yaml');
    const account = { id: 'onapp-big', kind: 'onapp', url: upstream.url, auth: { username: 'ops', password: 'drain-key' } };
    const held = { id: 'onapp-held', kind: 'onapp', url: holding.url, auth: { username: 'ops', password: 'held-key' } };
    writeFileSync(configFile, JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, providers: [account, held] }));
    gateway = await spawnGateway({ configFile, port: await freePort(), env: { DRAIN_TIMEOUT_MS: '20000', SHUTDOWN_READYZ_GRACE_MS: '0', LOG_LEVEL: 'info' } });
  }, 180_000);

  afterAll(async () => {
    gateway?.child.kill('SIGKILL');
    upstream?.server.close();
    holding?.release();
    holding?.server.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('is answered 503 SHUTTING_DOWN with Connection: close at once, unrun, and counted', async () => {
    const running = gateway as GatewayProcess;
    const port = Number(new URL(running.url).port);
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => undefined);
    let bodyLeft = Number.NaN;
    let afterAnswer = '';
    socket.on('data', (chunk: Buffer) => {
      if (bodyLeft <= 0) return void (afterAnswer += chunk.toString('latin1'));
      if (Number.isNaN(bodyLeft)) {
        const text = chunk.toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        bodyLeft = Number(/content-length: (\d+)/i.exec(text.slice(0, end))?.[1]) - (chunk.length - end - 4);
      } else bodyLeft -= chunk.length;
      // On the heels of the answer's last byte, the connection still kept alive.
      if (bodyLeft <= 0) socket.write(UPGRADE);
    });
    const ended = once(socket, 'end');
    socket.write(post(`{ instances(first: ${VMS}) { edges { node { raw } } providerErrors { code } } }`));
    await once(socket, 'data');
    socket.pause();
    // An operation answering on a WebSocket till the upgrade is answered: the drain waits for it before Apollo's drain.
    holding.hold();
    const ws = new WebSocket(running.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    ws.on('error', () => undefined);
    await once(ws, 'open');
    ws.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await once(ws, 'message');
    ws.send(JSON.stringify({ id: 'held', type: 'subscribe', payload: { query: '{ instances(first: 1) { edges { node { id } } } }' } }));
    await holding.held;
    const exited = running.stop('SIGTERM');
    // The drain has begun once the listener is closed: a new connection is refused.
    await new Promise<void>((resolve) => {
      const probe = (): void => {
        const attempt = connect(port, '127.0.0.1');
        attempt.once('connect', () => (attempt.destroy(), setImmediate(probe)));
        attempt.once('error', () => resolve());
      };
      probe();
    });
    socket.resume();
    await ended;
    holding.release();
    // Before, nothing: the connection was ended under the upgrade once the wait for headers was over.
    expect(afterAnswer.startsWith('HTTP/1.1 503')).toBe(true);
    const head = afterAnswer.slice(0, afterAnswer.indexOf('\r\n\r\n')).toLowerCase();
    expect(head).toContain('connection: close');
    expect(head).toContain('retry-after: 1');
    expect(afterAnswer).toContain(SHUTTING_DOWN_UPGRADE_MESSAGE);
    socket.destroy();
    expect(await exited).toBe(0);
    expect(running.output()).toContain('"upgrade_kept_alive":1');
  }, 60_000);
});
