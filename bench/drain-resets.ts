/**
 * The connection resets a client connected straight to a replica meets as the replica's listener
 * closes (docs/operations.md, "Stopping"): DRAIN_RESETS_CLIENTS keep-alive clients (default 6) post
 * a query in a loop against the compiled gateway (over a small OnApp API of its own), the gateway
 * gets SIGTERM with a readyz grace of DRAIN_RESETS_GRACE_MS (default 3000), and every client error
 * but a refused connection is printed with what the gateway saw of its connection
 * (bench/drain-resets-trace.mjs): never accepted (the kernel's accept queue, reset by the
 * listening socket's close), or accepted and how many requests it read. DRAIN_RESETS_RUNS runs
 * (default 3). Needs dist/ (npm run build).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/helpers/gateway-process.js';

const CLIENTS = Number(process.env.DRAIN_RESETS_CLIENTS ?? 6);
const GRACE_MS = Number(process.env.DRAIN_RESETS_GRACE_MS ?? 3_000);
const RUNS = Number(process.env.DRAIN_RESETS_RUNS ?? 3);
const ROOT = new URL('../', import.meta.url).pathname;
const BODY = JSON.stringify({ query: '{ instances(first: 20) { totalCount edges { node { id name } } } }' });

interface Outcome {
  status?: number;
  error?: string;
  reusedSocket: boolean;
  localPort?: number;
  endedAt: number;
}

interface Trace {
  listenerClosedAt: number | null;
  accepted: Record<string, { acceptedAt: number; requests: number }>;
}

function post(port: number, agent: Agent): Promise<Outcome> {
  return new Promise((resolve) => {
    let localPort: number | undefined;
    const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, reusedSocket: req.reusedSocket, localPort, endedAt: Date.now() }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, reusedSocket: req.reusedSocket, localPort, endedAt: Date.now() }));
    });
    req.on('socket', (socket) => {
      localPort = socket.localPort;
      if (localPort === undefined) socket.once('connect', () => (localPort = socket.localPort));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, reusedSocket: req.reusedSocket, localPort, endedAt: Date.now() }));
    req.end(BODY);
  });
}

async function run(upstreamUrl: string, directory: string): Promise<void> {
  const configFile = join(directory, 'config.yaml');
  const traceFile = join(directory, 'trace.json');
  writeFileSync(configFile, JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, providers: [{ id: 'onapp-drain', kind: 'onapp', url: upstreamUrl, auth: { username: 'ops', password: 'drain-resets' } }] }));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', join(ROOT, 'bench/drain-resets-trace.mjs'), join(ROOT, 'dist/main.js'), '--config', configFile], {
    env: { ...process.env, DRAIN_RESETS_TRACE: traceFile, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SHUTDOWN_READYZ_GRACE_MS: String(GRACE_MS) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((answer) => answer.ok, () => false);
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const outcomes: Outcome[] = [];
  let exitedAt: number | undefined;
  const client = async (): Promise<void> => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    // Until a second past the exit: every request then is refused.
    while (exitedAt === undefined || Date.now() - exitedAt < 1_000) outcomes.push(await post(port, agent));
    agent.destroy();
  };
  const clients = Array.from({ length: CLIENTS }, client);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const signalledAt = Date.now();
  child.kill('SIGTERM');
  const [code] = await exited;
  exitedAt = Date.now();
  await Promise.all(clients);
  const trace = JSON.parse(readFileSync(traceFile, 'utf8')) as Trace;
  const closedAt = trace.listenerClosedAt ?? Number.NaN;
  const failed = outcomes.filter((outcome) => outcome.error !== undefined && outcome.error !== 'ECONNREFUSED');
  console.log(
    JSON.stringify({ exitCode: code, listenerClosedMsAfterSignal: closedAt - signalledAt, exitMsAfterSignal: exitedAt - signalledAt, requests: outcomes.length, answered200: outcomes.filter((o) => o.status === 200).length, answered503: outcomes.filter((o) => o.status === 503).length, refused: outcomes.filter((o) => o.error === 'ECONNREFUSED').length, otherErrors: failed.length }),
  );
  for (const outcome of failed) {
    const seen = outcome.localPort === undefined ? undefined : trace.accepted[String(outcome.localPort)];
    const connection = seen === undefined ? 'never accepted by the process (the accept queue)' : `accepted ${seen.acceptedAt - closedAt} ms from the listener's close, ${seen.requests} request(s) read on it`;
    console.log(`  ${outcome.error} ${outcome.endedAt - closedAt} ms after the listener's close, ${outcome.reusedSocket ? 'kept-alive' : 'new'} connection: ${connection}`);
  }
}

const upstream = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  const vms = Array.from({ length: 20 }, (_, index) => ({ virtual_machine: { id: index + 1, label: `vm-${index + 1}`, identifier: `i${index + 1}` } }));
  res.end(req.url?.startsWith('/virtual_machines.json') ? JSON.stringify(vms) : '[]');
});
upstream.listen(0, '127.0.0.1');
await once(upstream, 'listening');
const directory = mkdtempSync(join(tmpdir(), 'backup-graph-drain-resets-'));
try {
  for (let index = 0; index < RUNS; index++) await run(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, directory);
} finally {
  upstream.close();
  rmSync(directory, { recursive: true, force: true });
}
