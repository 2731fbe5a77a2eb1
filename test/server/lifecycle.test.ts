import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import { DASHBOARD_QUERY } from '../../src/server/graphiql.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { ensureBuilt, portClosed, shellEnv, start, type Spawned } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

describe('HTTP surface', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it('serves GraphiQL at GET /graphql to browsers, gzipped, with the dashboard query and no CDN', async () => {
    // undici's request does not decompress, so the test sees what went over the wire.
    const response = await request(harness.gateway.graphqlUrl, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['content-encoding']).toBe('gzip');
    const html = gunzipSync(Buffer.from(await response.body.arrayBuffer())).toString('utf8');
    expect(html).toContain('query Dashboard');
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/);
  });

  it('serves the same page inflated to a client that does not take gzip', async () => {
    const response = await request(harness.gateway.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(await response.body.text()).toContain('query Dashboard');
  });

  it('answers /healthz, /readyz and unknown routes as JSON', async () => {
    expect(await (await fetch(`${harness.gateway.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${harness.gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const detailed = await fetch(`${harness.gateway.adminUrl}/readyz`);
    expect(await detailed.json()).toEqual({ status: 'ready', providers: [{ id: 'zomro-test', kind: 'zomro', health: 'UP', breaker: 'closed' }] });
    const missing = await fetch(`${harness.gateway.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ errors: [{ message: 'not found: GraphQL is at /graphql (POST, GET, WebSocket; GraphiQL in a browser), health at /healthz and /readyz', extensions: { code: 'NOT_FOUND' } }] });
  });

  it('answers /metrics on the main port with where the metrics are (a bare "not found" left a Prometheus job scraping the wrong port)', async () => {
    const metrics = await fetch(`${harness.gateway.url}/metrics`);
    expect(metrics.status).toBe(404);
    expect(await metrics.json()).toEqual({
      errors: [{ message: 'not found: /metrics is served on the admin listener (admin.host and admin.port in the config; its address is logged at start as adminUrl)', extensions: { code: 'NOT_FOUND' } }],
    });
    expect((await fetch(`${harness.gateway.adminUrl}/metrics`)).status).toBe(200);
  });

  it('redirects GET / to /graphql (302) on the main port', async () => {
    const response = await fetch(`${harness.gateway.url}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/graphql');
  });

  it('returns an x-request-id on every GraphQL answer', async () => {
    const answer = await harness.gql('{ providers { id } }', {}, { headers: { 'x-request-id': 'trace-abc-123' } });
    // Its own, not the caller's: this caller is not a trusted proxy (test/security/client-request-id.test.ts).
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

const DASHBOARD = JSON.stringify({ query: DASHBOARD_QUERY });
const post = (graphqlUrl: string) => fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: DASHBOARD });

/** A graphql-ws connection, acknowledged; `closed` resolves with its close code when the server closes it. */
async function openSubscriptionSocket(graphqlUrl: string): Promise<{ closed: Promise<number> }> {
  const socket = new WebSocket(graphqlUrl.replace('http', 'ws'), 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.once('message', (data: Buffer) => (JSON.parse(data.toString()).type === 'connection_ack' ? resolve() : reject(new Error(data.toString()))));
    socket.once('error', reject);
  });
  return { closed };
}

describe('stopping on SIGINT/SIGTERM (the real npm start, without NODE_ENV=test)', () => {
  let simulator: RunningSimulator;
  let running: Spawned | null = null;
  const configFile = (extra = '') => {
    const path = join(temp.make('bg-stop-'), 'config.yaml');
    writeFileSync(path, `allowAnonymous: true\nlisten: { host: 127.0.0.1 }\nadmin: { port: 0 }\nproviders:\n  - ${JSON.stringify(simulator.accountConfig('zomro-stop'))}\n${extra}`);
    return path;
  };
  beforeAll(async () => {
    ensureBuilt();
    simulator = await startSimulator('zomro', {});
  }, 120_000);
  afterEach(async () => {
    simulator.server.latencyMs = 0;
    running?.kill();
    running = null;
  });
  afterAll(() => simulator.stop());

  /** Starts the gateway (`npm start ...` or node); resolves once it listens, with its GraphQL URL. */
  const launch = async (command: string, args: string[], env: Record<string, string> = {}): Promise<{ gateway: Spawned; graphqlUrl: string }> => {
    const gateway = start(command, args, shellEnv({ PORT: '0', ...env }));
    running = gateway;
    return { gateway, graphqlUrl: (await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string };
  };

  /** Sends a dashboard the simulator holds for `latencyMs`; resolves once the simulator has it, with the answer to come. */
  const slowRequest = async (graphqlUrl: string, latencyMs: number): Promise<{ answer: Promise<Response> }> => {
    simulator.server.latencyMs = latencyMs;
    // A slow request of an earlier test may still be at the simulator: wait for this one.
    const before = simulator.server.inFlight;
    const answer = post(graphqlUrl);
    // Handled now: a test that kills the gateway sees it fail later, and it must not count as an unhandled rejection meanwhile.
    answer.catch(() => {});
    await eventually(() => Promise.resolve(simulator.server.inFlight), (count) => count > before);
    return { answer };
  };

  it('config mode: finishes the request in flight, closes subscriptions with 1001, closes everything and exits 0', async () => {
    const { gateway, graphqlUrl } = await launch('npm', ['start', '--', '--config', configFile()]);
    const subscription = await openSubscriptionSocket(graphqlUrl);
    const inFlight = await slowRequest(graphqlUrl, 800);
    gateway.child.kill('SIGTERM');
    expect(await subscription.closed).toBe(1001);
    const response = await inFlight.answer;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { instances: { totalCount: number } } }).data.instances.totalCount).toBeGreaterThan(0);
    expect((await gateway.exited).code).toBe(0);
    // Logged after the last step (upstream pools, store): Apollo's own signal handler used to exit before it.
    expect(gateway.output()).toContain('"msg":"shut down"');
    expect(await portClosed(graphqlUrl)).toBe(true);
  }, 120_000);

  it('demo mode: Ctrl-C (SIGINT to the process group, npm forwarding it too) finishes the request and closes all five ports', async () => {
    const { gateway, graphqlUrl } = await launch('npm', ['start'], { DEMO_LATENCY_MS: '600' });
    const simulatorUrls = [...(await gateway.waitFor(/Simulators: ([^"]+)"/))[1]!.matchAll(/(http:\/\/[\d.:]+)/g)].map((match) => match[1] as string);
    expect(simulatorUrls).toHaveLength(4);
    // Demo mode serves the admin routes on the main port too (contract: gateway.md).
    const origin = new URL(graphqlUrl).origin;
    const metrics = await fetch(`${origin}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('# TYPE');
    expect(((await (await fetch(`${origin}/readyz`)).json()) as { providers: unknown[] }).providers).toHaveLength(4);
    const inFlight = post(graphqlUrl);
    // The instance lists have been answered: the gateway now waits on the backups round.
    const answered = async () => (await Promise.all(simulatorUrls.map(async (url) => ((await (await fetch(`${url}/__sim/stats`)).json()) as { total: number }).total))).reduce((a, b) => a + b, 0);
    await eventually(answered, (total) => total > 0, { timeoutMs: 30_000 });
    process.kill(-(gateway.child.pid as number), 'SIGINT');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { instances: { totalCount: number } } }).data.instances.totalCount).toBeGreaterThan(0);
    expect((await gateway.exited).code).toBe(0);
    expect(gateway.output()).toContain('"msg":"shut down"');
    for (const url of [graphqlUrl, ...simulatorUrls]) expect(await portClosed(url)).toBe(true);
  }, 120_000);

  it('SIGHUP (a reload expected, a terminal closed) drains as SIGTERM does: the request in flight answered, exit 0', async () => {
    const { gateway, graphqlUrl } = await launch(process.execPath, ['dist/main.js', '--config', configFile()]);
    const inFlight = await slowRequest(graphqlUrl, 800);
    // Before, node's default for SIGHUP ended the process at once: the request got a reset, the exit was the signal's.
    gateway.child.kill('SIGHUP');
    const response = await inFlight.answer;
    expect(response.status).toBe(200);
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(gateway.output()).toContain('"signal":"SIGHUP"');
  }, 120_000);

  it('a second signal exits at once (143 for SIGTERM) without waiting for the drain', async () => {
    const { gateway, graphqlUrl } = await launch(process.execPath, ['dist/main.js', '--config', configFile()]);
    const inFlight = await slowRequest(graphqlUrl, 30_000);
    gateway.child.kill('SIGTERM');
    await gateway.waitFor(/shutting down/);
    gateway.child.kill('SIGTERM');
    expect((await gateway.exited).code).toBe(143);
    expect(gateway.output()).toContain('second signal');
    await inFlight.answer.catch(() => null);
  }, 120_000);

  it('DRAIN_TIMEOUT_MS over the config’s drainTimeoutMs gives a request in flight that long, Apollo’s drain grace included', async () => {
    const { gateway, graphqlUrl } = await launch(process.execPath, ['dist/main.js', '--config', configFile('shutdown: { drainTimeoutMs: 300 }\n')], { DRAIN_TIMEOUT_MS: '20000' });
    const inFlight = await slowRequest(graphqlUrl, 1_500);
    gateway.child.kill('SIGTERM');
    // Before, Apollo cut the connection at the config's 300 ms while the process waited up to 20 s.
    const response = await inFlight.answer;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { instances: { totalCount: number } } }).data.instances.totalCount).toBeGreaterThan(0);
    expect((await gateway.exited).code).toBe(0);
  }, 120_000);

  it('a WebSocket query still running at the drain timeout gets 1001 before the process exits 1 (not a dropped connection)', async () => {
    const { gateway, graphqlUrl } = await launch(process.execPath, ['dist/main.js', '--config', configFile('shutdown: { drainTimeoutMs: 1000 }\n')]);
    const socket = new WebSocket(graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.once('message', () => resolve());
      socket.once('error', reject);
    });
    simulator.server.latencyMs = 30_000;
    const before = simulator.server.inFlight;
    socket.send(JSON.stringify({ type: 'subscribe', id: 'q1', payload: { query: '{ instances { totalCount } }' } }));
    await eventually(() => Promise.resolve(simulator.server.inFlight), (count) => count > before);
    gateway.child.kill('SIGTERM');
    // Before, the WebSocket part waited a whole drain after the signal's own timer had ended the process: 1006.
    expect(await closed).toBe(1001);
    expect((await gateway.exited).code).toBe(1);
  }, 120_000);

  it('an HTTP request still running at the drain timeout is cut just before it, the rest closes cleanly, and the exit is 1', async () => {
    // The readyz grace takes half the drain: Apollo's grace must be what is left when its drain
    // starts. Read at start-up (the whole 3 s), the process's own timer ended everything first.
    const { gateway, graphqlUrl } = await launch('npm', ['start', '--', '--config', configFile('shutdown: { drainTimeoutMs: 3000, readyzGraceMs: 1500 }\n')]);
    const inFlight = await slowRequest(graphqlUrl, 30_000);
    gateway.child.kill('SIGTERM');
    // Answered as it is cut (drain-cut-answer.ts): before, its connection simply closed.
    const cut = await inFlight.answer;
    expect(cut.status).toBe(503);
    expect(cut.headers.get('connection')).toBe('close');
    expect(((await cut.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code).toBe('SHUTTING_DOWN');
    expect((await gateway.exited).code).toBe(1);
    const output = gateway.output();
    expect(output).toContain('drain timeout: cut 1 HTTP request(s) and 0 WebSocket operation(s) still running');
    // What to change, and no stack: an expected outcome of a short drain, not the gateway failing (it logged `err` with a stack, the knob unnamed).
    const cutLine = output.split('\n').find((line) => line.includes('drain timeout: cut')) ?? '';
    expect(cutLine).toContain('at shutdown.drainTimeoutMs (3000 ms, from the signal; DRAIN_TIMEOUT_MS overrides): raise it above the longest request');
    expect(cutLine).toContain('"requestsCut":1');
    expect(cutLine).not.toContain('stack');
    // Every step after it ran (the pools closed), and the process ended by itself, not by its timer.
    expect(output).toMatch(/"msg":"shut down"/);
    expect(output).not.toContain('drain timeout passed');
  }, 120_000);

  it('an idle WebSocket client that never answers the close does not make a short drain time out: exit 0', async () => {
    const { gateway, graphqlUrl } = await launch(process.execPath, ['dist/main.js', '--config', configFile('shutdown: { drainTimeoutMs: 500 }\n')]);
    const socket = new WebSocket(graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.once('message', () => resolve());
      socket.once('error', reject);
    });
    // It reads nothing more, so it never answers the server's close frame.
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    gateway.child.kill('SIGTERM');
    try {
      // Before, the server waited 1 s for its close handshake, past the 500 ms drain: the timer exited 1.
      expect((await gateway.exited).code).toBe(0);
      expect(gateway.output()).not.toContain('drain timeout');
    } finally {
      socket.terminate();
    }
  }, 120_000);

  // The timer's own exit past a hanging step is test/unit/shutdown-exits.test.ts's. At 0 ms the cut
  // request is answered at once, its connection closes, and the drain may end on its own first.
  it('a drain of drainTimeoutMs 0 ends at once, by the drain timer or its own cut: exit 1', async () => {
    const { gateway, graphqlUrl } = await launch('npm', ['start', '--', '--config', configFile('shutdown: { drainTimeoutMs: 0 }\n')]);
    const inFlight = await slowRequest(graphqlUrl, 30_000);
    gateway.child.kill('SIGTERM');
    expect((await gateway.exited).code).toBe(1);
    expect(gateway.output()).toMatch(/drain timeout passed|drain timeout: cut 1 HTTP request/);
    // Answered 503 when the cut came first; dropped by the timer's exit otherwise.
    await inFlight.answer.catch(() => null);
  }, 120_000);
});
