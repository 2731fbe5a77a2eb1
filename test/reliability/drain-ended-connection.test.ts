import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';

/** 240 VMs of 100 KB: a 24 MB answer, far more than loopback's kernel buffers take, so it is still being written when the drain begins. */
const VMS = 240;
const PADDING = 'p'.repeat(100_000);
const post = (query: string): string => {
  const body = JSON.stringify({ query });
  return `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

/** An OnApp API whose VM list is VMS records of 100 KB each; it counts the backup lists asked of it. */
async function bigOnapp(): Promise<{ server: Server; url: string; backupLists: () => number }> {
  const vm = (id: number) => `{"virtual_machine":{"id":${id},"label":"vm-${id}","identifier":"i${id}","padding":"${PADDING}"}}`;
  const list = `[${Array.from({ length: VMS }, (_, index) => vm(index + 1)).join(',')}]`;
  let backupLists = 0;
  const server = createServer((req, res) => {
    if (/\/backups\.json/.test(req.url ?? '')) backupLists += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url?.startsWith('/virtual_machines.json') ? list : '[]');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, backupLists: () => backupLists };
}

/**
 * An answer begun before the signal carries `Connection: keep-alive`; once it is out, the drain
 * ends (half-closes) the connection. A client that sends its next request before it reads that end
 * (here: at once, as it reads the answer's last byte) had it read and run, though no answer could
 * go out: a mutation there acted unanswered, and a browser sends it again on a new connection.
 */
describe('a request sent on a connection the drain has just ended (the compiled gateway)', () => {
  let upstream: Awaited<ReturnType<typeof bigOnapp>>;
  let directory: string;
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    upstream = await bigOnapp();
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-ended-connection-'));
    const configFile = join(directory, 'config.yaml');
    const account = { id: 'onapp-big', kind: 'onapp', url: upstream.url, auth: { username: 'ops', password: 'drain-key' } };
    writeFileSync(configFile, JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, providers: [account] }));
    // Long: the unfixed gateway held the drain to it; the fixed one exits long before.
    gateway = await spawnGateway({ configFile, port: await freePort(), env: { DRAIN_TIMEOUT_MS: '20000', SHUTDOWN_READYZ_GRACE_MS: '0', LOG_LEVEL: 'info' } });
  }, 180_000);

  afterAll(async () => {
    gateway?.child.kill('SIGKILL');
    upstream?.server.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('is not run: its connection is dropped, and the drain ends with nothing cut', async () => {
    const running = gateway as GatewayProcess;
    // Half-open, as a client is until it reads the server's end: it may still send.
    const socket = connect({ port: Number(new URL(running.url).port), host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => undefined);
    let head = '';
    let bodyLeft = Number.NaN;
    let afterAnswer = '';
    const answered = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        if (bodyLeft <= 0) return void (afterAnswer += chunk.toString('latin1'));
        if (Number.isNaN(bodyLeft)) {
          const text = chunk.toString('latin1');
          const end = text.indexOf('\r\n\r\n');
          head = text.slice(0, end);
          bodyLeft = Number(/content-length: (\d+)/i.exec(head)?.[1]) - (chunk.length - end - 4);
        } else bodyLeft -= chunk.length;
        if (bodyLeft > 0) return;
        // The next request, on the heels of the answer's last byte: sent before the client reads the end behind it.
        socket.write(post('{ backups { totalCount } }'));
        resolve();
      });
    });
    socket.write(post(`{ instances(first: ${VMS}) { edges { node { raw } } providerErrors { code } } }`));
    await once(socket, 'data');
    socket.pause();
    const exited = running.stop('SIGTERM');
    // The drain has begun once the listener is closed: a new connection is refused.
    await new Promise<void>((resolve) => {
      const probe = (): void => {
        const attempt = connect(Number(new URL(running.url).port), '127.0.0.1');
        attempt.once('connect', () => (attempt.destroy(), setImmediate(probe)));
        attempt.once('error', () => resolve());
      };
      probe();
    });
    socket.resume();
    await answered;
    expect(head).toMatch(/\r\nconnection: keep-alive/i);
    // Before, the request ran and held the drain to its timeout: exit 1, "cut 1 HTTP request(s)".
    expect(await exited).toBe(0);
    socket.destroy();
    expect(afterAnswer).toBe('');
    expect(upstream.backupLists()).toBe(0);
    expect(running.output()).not.toContain('drain timeout');
    expect(running.output()).toContain('HTTP request dropped unrun');
  }, 60_000);
});
