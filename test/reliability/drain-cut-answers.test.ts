import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import type { RequestHold } from '../../src/simulator/request-hold.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { eventually } from '../helpers/harness.js';

/** Short, so the cut comes soon; the simulator answers far later than it. */
const DRAIN_TIMEOUT_MS = 1_500;

/** Zomro's create function: its answer held, the mutation is under way at the provider when the drain cuts it. */
const CREATE_FUNC = 'instances.fleio_bckps.edit';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';

/** Everything the gateway sends on `socket` until it closes the connection. */
function allReceived(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text));
  });
}

/**
 * A request still running at the drain timeout was cut with no answer at all: its connection closed
 * (undici: "other side closed"), and a browser sends a POST again on a new connection when a kept-alive
 * one closes unanswered, possibly to another replica: a mutation acted twice. Answered, the client
 * knows the gateway ended it, and nothing sends it again on its own.
 */
describe('a request still running at the drain timeout (the compiled gateway)', () => {
  let simulator: RunningSimulator;
  let directory: string;
  let configFile: string;
  let gateway: GatewayProcess | undefined;
  const holds: RequestHold[] = [];
  const started: GatewayProcess[] = [];
  const startGateway = async (): Promise<GatewayProcess> => {
    const running = await spawnGateway({ configFile, port: await freePort(), env: { DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS), SHUTDOWN_READYZ_GRACE_MS: '0' } });
    started.push(running);
    return running;
  };

  beforeAll(async () => {
    simulator = await startSimulator('zomro');
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-drain-cut-'));
    configFile = join(directory, 'config.yaml');
    writeFileSync(configFile, JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, anonymousRole: 'admin', providers: [simulator.accountConfig('zomro-drain-cut')] }));
    gateway = await startGateway();
  }, 180_000);

  afterAll(async () => {
    for (const hold of holds) hold.release();
    for (const running of started) running.child.kill('SIGKILL');
    simulator.server.latencyMs = 0;
    await simulator?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('is answered 503 SHUTTING_DOWN with Retry-After and Connection: close before its connection ends', async () => {
    const running = gateway as GatewayProcess;
    const { hostname, port } = new URL(running.url);
    // Far past the drain: the provider call is under way when the drain cuts it.
    simulator.server.latencyMs = 60_000;
    const socket = connect(Number(port), hostname);
    const received = allReceived(socket);
    const body = JSON.stringify({ query: '{ instances { totalCount } }' });
    socket.write(`POST /graphql HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await eventually(() => Promise.resolve(simulator.server.inFlight), (count) => count > 0);
    const exited = running.stop('SIGTERM');
    const answer = await received;
    simulator.server.latencyMs = 0;
    expect(await exited).toBe(1);
    expect(answer.slice(0, 12)).toBe('HTTP/1.1 503');
    const [head = '', answerBody = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/\r\nretry-after: \d+\r\n/i);
    expect(head).toMatch(/\r\nconnection: close\r\n/i);
    const parsed = JSON.parse(answerBody) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(parsed.errors).toEqual([{ message: expect.stringContaining('shutting down'), extensions: { code: 'SHUTTING_DOWN' } }]);
    expect(running.output()).toContain('drain timeout: cut 1 HTTP request(s)');
  }, 30_000);

  it('tells a mutation cut so that its outcome is unknown, not failed, and how to send it again safely', async () => {
    const running = await startGateway();
    const post = (body: object) => fetch(running.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const listed = (await (await post({ query: '{ instances(first: 1) { edges { node { id } } } }' })).json()) as { data: { instances: { edges: Array<{ node: { id: string } }> } } };
    const hold = simulator.server.holdAnswersOf(CREATE_FUNC);
    holds.push(hold);
    const answer = post({ query: CREATE, variables: { input: { instanceId: listed.data.instances.edges[0]!.node.id, name: 'cut-by-drain' } } });
    await hold.arrived;
    const exited = running.stop('SIGTERM');
    const cut = await answer;
    expect(cut.status).toBe(503);
    expect(cut.headers.get('retry-after')).toMatch(/^\d+$/);
    const { errors } = (await cut.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(errors).toEqual([{ message: expect.stringContaining('outcome is unknown, not failed: it may have acted'), extensions: { code: 'SHUTTING_DOWN' } }]);
    expect(errors[0]!.message).toContain('idempotencyKey');
    expect(await exited).toBe(1);
  }, 30_000);
});
