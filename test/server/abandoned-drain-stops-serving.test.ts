import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/harness.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { builtGatewayBesideZomro } from './built-gateway-beside-zomro.js';
import { shellEnv, start } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/** Error answers, each one info line: more than the 64 KiB a pipe's kernel buffer holds. */
const ERROR_ANSWERS = 400;

/** Whether a fresh connection to the port gets a /healthz answer. */
const answersHealthz = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(text.startsWith('HTTP/1.1 200')));
    socket.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n');
  });

/** A connection left open once `request` was written and `marker` came back: `closed` resolves when the gateway ends it. */
const openConnection = async (port: number, request: string, marker: string): Promise<{ closed: Promise<void> }> => {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let text = '';
  await new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes(marker)) resolve();
    });
    socket.write(request);
  });
  return { closed };
};

/** A keep-alive connection to the admin listener, its /healthz answered. */
const idleAdminConnection = (port: number) => openConnection(port, 'GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n', '"status":"ok"');

/** A connection with a request in flight, its body still coming. */
const requestInFlight = (port: number) =>
  openConnection(port, 'POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nexpect: 100-continue\r\ncontent-length: 1000\r\n\r\n{"query":', '100 Continue');

/** Holds process.exit until SIGUSR2: whether serving stopped before the exit is asked without a race against it. */
const HOLD_EXIT = new URL('../fixtures/hold-exit.mjs', import.meta.url).href;

/**
 * A second signal exits without the drain, but first gives the log lines queued for a stalled
 * stdout up to 1 s to leave. Through that second the listener (open still in the readyz grace)
 * and every connection kept serving: a request, a mutation too, ran after its exit had begun and
 * after the cut mutations' audit lines were written. Serving stops as the exit begins.
 */
describe('a second signal while stdout is stalled', () => {
  const beside = builtGatewayBesideZomro();

  it('stops taking connections and ends each open one at once, before the wait for the log reader ends the process', async () => {
    const configFile = join(temp.make('bg-abandon-serving-'), 'config.yaml');
    writeFileSync(configFile, `allowAnonymous: true\nlisten: { host: 127.0.0.1 }\nadmin: { port: 0 }\nshutdown: { drainTimeoutMs: 30000, readyzGraceMs: 20000 }\nproviders:\n  - ${JSON.stringify(beside.simulator().accountConfig('zomro-id'))}\n`);
    const gateway = beside.track(start(process.execPath, ['--import', HOLD_EXIT, 'dist/main.js', '--config', configFile], shellEnv({ PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info' })));
    const graphqlUrl = (await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string;
    const port = Number(new URL(graphqlUrl).port);
    gateway.child.stdout?.pause();
    for (let index = 0; index < ERROR_ANSWERS; index += 1) {
      const response = await fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ noSuchField${index} }` }), signal: AbortSignal.timeout(5_000) });
      await response.text();
    }
    gateway.child.kill('SIGTERM');
    // The first signal is handled: /readyz says so, and the grace keeps the listener open.
    await eventually(async () => (await fetch(new URL('/readyz', graphqlUrl), { signal: AbortSignal.timeout(5_000) })).status, (status) => status === 503);
    // Not idle, so closing the listener leaves it open: the exit ends it, not the process's end.
    const inFlight = await requestInFlight(port);
    gateway.child.kill('SIGTERM');
    await eventually(() => answersHealthz(port), (answered) => !answered, { timeoutMs: 10_000, intervalMs: 10 });
    await inFlight.closed;
    // Before, serving went on until the process ended: with its exit held, the wait above never ended.
    gateway.child.stdout?.resume();
    gateway.child.kill('SIGUSR2');
    expect((await gateway.exited).code).toBe(143);
  }, 120_000);

  /**
   * The admin listener went on answering through that second: /healthz 200 and /metrics from a
   * process on its way out (a liveness probe or a scraper told it was alive). It closes with the
   * public one: new connections refused, a scraper's keep-alive connection ended.
   */
  it('closes the admin listener too, and its open connections, before the wait for the log reader ends the process', async () => {
    const configFile = join(temp.make('bg-abandon-admin-'), 'config.yaml');
    writeFileSync(configFile, `allowAnonymous: true\nlisten: { host: 127.0.0.1 }\nadmin: { port: 0 }\nshutdown: { drainTimeoutMs: 30000, readyzGraceMs: 20000 }\nproviders:\n  - ${JSON.stringify(beside.simulator().accountConfig('zomro-id'))}\n`);
    const gateway = beside.track(start(process.execPath, ['--import', HOLD_EXIT, 'dist/main.js', '--config', configFile], shellEnv({ PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info' })));
    const graphqlUrl = (await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string;
    const adminUrl = (await gateway.waitFor(/"adminUrl":"([^"]+)"/))[1] as string;
    const adminPort = Number(new URL(adminUrl).port);
    gateway.child.stdout?.pause();
    for (let index = 0; index < ERROR_ANSWERS; index += 1) {
      const response = await fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ noSuchField${index} }` }), signal: AbortSignal.timeout(5_000) });
      await response.text();
    }
    gateway.child.kill('SIGTERM');
    await eventually(async () => (await fetch(new URL('/readyz', adminUrl), { signal: AbortSignal.timeout(5_000) })).status, (status) => status === 503);
    const scraper = await idleAdminConnection(adminPort);
    gateway.child.kill('SIGTERM');
    await eventually(() => answersHealthz(adminPort), (answered) => !answered, { timeoutMs: 10_000, intervalMs: 10 });
    await scraper.closed;
    // Before, serving went on until the process ended: with its exit held, the wait above never ended.
    gateway.child.stdout?.resume();
    gateway.child.kill('SIGUSR2');
    expect((await gateway.exited).code).toBe(143);
  }, 120_000);
});
