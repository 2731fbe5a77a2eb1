import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import type { RequestHold } from '../../src/simulator/request-hold.js';
import { drainCutAnswerMessage } from '../../src/server/drain-cut-answer.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { eventually } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

/**
 * An exit that does not wait for the drain (a second signal, a drain timer of 0 ms) destroyed every
 * connection, the requests still running on them unanswered: a reset, which a browser sends again
 * and a service reads as a network failure. Each whose answer has not begun is answered first, 503
 * SHUTTING_DOWN in the drain cut's words, as the drain timeout answers it. The compiled gateway
 * (dist/), a query held at Zomro while the gateway stops.
 */
const BACKUPS = '{ instances(first: 1) { edges { node { backups { id } } } } }';

interface Answer {
  status: number;
  retryAfter: string | null;
  connection: string | null;
  body: { errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

describe('an exit that does not wait for the drain answers the requests still running', () => {
  let zomro: RunningSimulator;
  let directory: string;
  let configFile: string;
  const started: GatewayProcess[] = [];
  const holds: RequestHold[] = [];

  beforeAll(async () => {
    zomro = await startSimulator('zomro');
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-second-signal-'));
    configFile = join(directory, 'config.yaml');
    writeFileSync(configFile, JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, anonymousRole: 'viewer', providers: [zomro.accountConfig('zomro')] }));
  }, 60_000);

  afterAll(async () => {
    for (const hold of holds) hold.release();
    for (const gateway of started) gateway.child.kill('SIGKILL');
    await zomro?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  async function queryHeld(shutdownEnv: Record<string, string>): Promise<{ gateway: GatewayProcess; answer: Promise<Answer | 'no answer'> }> {
    const gateway = await spawnGateway({ configFile, port: await freePort(), env: { ...shutdownEnv, LOG_FORMAT: 'json', LOG_LEVEL: 'info' } });
    started.push(gateway);
    const hold = zomro.server.holdAnswersOf('instances.fleio_bckps');
    holds.push(hold);
    const answer = fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: BACKUPS }) }).then(
      async (response) => ({ status: response.status, retryAfter: response.headers.get('retry-after'), connection: response.headers.get('connection'), body: (await response.json()) as Answer['body'] }),
      () => 'no answer' as const,
    );
    await hold.arrived;
    return { gateway, answer };
  }

  const expectShuttingDown = (answer: Answer | 'no answer'): void => {
    expect(answer).not.toBe('no answer');
    if (answer === 'no answer') return;
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toBe('1');
    expect(answer.connection).toBe('close');
    expect(answer.body).toEqual({ errors: [{ message: drainCutAnswerMessage(false), extensions: { code: 'SHUTTING_DOWN' } }] });
  };

  /** A graphql-ws client, connected: the close code its connection ends with. */
  async function graphqlWsConnected(gateway: GatewayProcess): Promise<{ client: Client; closeCode: Promise<number> }> {
    let closed: (code: number) => void = () => undefined;
    const closeCode = new Promise<number>((resolve) => (closed = resolve));
    let connected: () => void = () => undefined;
    const acknowledged = new Promise<void>((resolve) => (connected = resolve));
    const client = createClient({
      url: wsUrl(gateway.graphqlUrl),
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      on: { connected: () => connected(), closed: (event) => closed((event as { code: number }).code) },
    });
    await acknowledged;
    return { client, closeCode };
  }

  it('a second SIGTERM in the readyz grace, a graphql-ws client open: it is told 1001 (going away), not dropped, exit 143', async () => {
    const gateway = await spawnGateway({ configFile, port: await freePort(), env: { DRAIN_TIMEOUT_MS: '30000', SHUTDOWN_READYZ_GRACE_MS: '20000', LOG_FORMAT: 'json', LOG_LEVEL: 'info' } });
    started.push(gateway);
    const { client, closeCode } = await graphqlWsConnected(gateway);
    try {
      gateway.child.kill('SIGTERM');
      await eventually(() => fetch(new URL('/readyz', gateway.url)).then((response) => response.status), (status) => status === 503, { timeoutMs: 10_000, intervalMs: 20 });
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toBe(143);
      expect(await closeCode).toBe(1001);
    } finally {
      await client.dispose();
    }
  }, 60_000);

  it('a second SIGTERM, a graphql-ws query still running after the listener closed: its connection is told 1001, exit 143', async () => {
    const gateway = await spawnGateway({ configFile, port: await freePort(), env: { DRAIN_TIMEOUT_MS: '30000', SHUTDOWN_READYZ_GRACE_MS: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info' } });
    started.push(gateway);
    const hold = zomro.server.holdAnswersOf('instances.fleio_bckps');
    holds.push(hold);
    const { client, closeCode } = await graphqlWsConnected(gateway);
    try {
      const ended = new Promise<void>((resolve) => client.subscribe({ query: BACKUPS }, { next: () => undefined, error: () => resolve(), complete: () => resolve() }));
      await hold.arrived;
      gateway.child.kill('SIGTERM');
      await eventually(async () => gateway.output(), (output) => output.includes('shutting down: finishing requests in flight'), { timeoutMs: 10_000, intervalMs: 20 });
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toBe(143);
      expect(await closeCode).toBe(1001);
      await ended;
    } finally {
      await client.dispose();
    }
  }, 60_000);

  it('a second SIGTERM: the query still running is answered 503 SHUTTING_DOWN before the exit (143)', async () => {
    const { gateway, answer } = await queryHeld({ DRAIN_TIMEOUT_MS: '30000', SHUTDOWN_READYZ_GRACE_MS: '0' });
    gateway.child.kill('SIGTERM');
    await eventually(async () => gateway.output(), (output) => output.includes('shutting down: finishing requests in flight'), { timeoutMs: 10_000, intervalMs: 20 });
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(143);
    expectShuttingDown(await answer);
  }, 60_000);

  it('a second SIGINT during the readyz grace (listener still open): answered the same, exit 130', async () => {
    const { gateway, answer } = await queryHeld({ DRAIN_TIMEOUT_MS: '30000', SHUTDOWN_READYZ_GRACE_MS: '20000' });
    gateway.child.kill('SIGINT');
    await eventually(() => fetch(new URL('/readyz', gateway.url)).then((response) => response.status), (status) => status === 503, { timeoutMs: 10_000, intervalMs: 20 });
    gateway.child.kill('SIGINT');
    expect(await gateway.exited).toBe(130);
    expectShuttingDown(await answer);
  }, 60_000);

  it('a drain timeout of 0 ms, a WebSocket client open: the query still running is answered 503 SHUTTING_DOWN, exit 1', async () => {
    const { gateway, answer } = await queryHeld({ DRAIN_TIMEOUT_MS: '0', SHUTDOWN_READYZ_GRACE_MS: '0' });
    // Its close handshake takes the drain past its first turns: the drain timer ends the process before the drain's own cut answers.
    const socket = new WebSocket(wsUrl(gateway.graphqlUrl), 'graphql-transport-ws');
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('open', () => resolve()));
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await new Promise<void>((resolve) => socket.once('message', () => resolve()));
    const closeCode = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    try {
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toBe(1);
      expectShuttingDown(await answer);
      // guard: the drain sent its 1001 before the drain timer's exit, which sends it too.
      expect(await closeCode).toBe(1001);
    } finally {
      socket.terminate();
    }
  }, 60_000);
});
