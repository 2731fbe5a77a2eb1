import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dirs.js';
import { builtGatewayBesideZomro } from './built-gateway-beside-zomro.js';
import { shellEnv, start, type Spawned } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/**
 * A log reader that stops reading (a stuck shipper, a log driver behind on a
 * slow disk) leaves the gateway's stdout pipe full. Written synchronously,
 * the next log line stopped the event loop: after ~200 error answers (64 KiB
 * of lines at info) no request was answered, /healthz included, and SIGTERM
 * was never handled. Each request here writes one info line
 * ("request answered with an error").
 */
const ERROR_ANSWERS = 400;

describe('a log reader that stops reading', () => {
  const beside = builtGatewayBesideZomro();

  const startGateway = async (): Promise<{ gateway: Spawned; graphqlUrl: string; adminUrl: string }> => {
    const configFile = join(temp.make('bg-log-stalled-'), 'config.yaml');
    writeFileSync(configFile, `allowAnonymous: true\nlisten: { host: 127.0.0.1 }\nadmin: { port: 0 }\nshutdown: { drainTimeoutMs: 5000 }\nproviders:\n  - ${JSON.stringify(beside.simulator().accountConfig('zomro-id'))}\n`);
    const gateway = beside.track(start(process.execPath, ['dist/main.js', '--config', configFile], shellEnv({ PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info' })));
    const graphqlUrl = (await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string;
    const adminUrl = (await gateway.waitFor(/"adminUrl":"([^"]+)"/))[1] as string;
    // From here on nobody reads the pipe: the kernel's buffer fills and stays full.
    gateway.child.stdout?.pause();
    return { gateway, graphqlUrl, adminUrl };
  };
  const errorAnswers = async (graphqlUrl: string) => {
    for (let index = 0; index < ERROR_ANSWERS; index += 1) {
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ noSuchField${index} }` }),
        signal: AbortSignal.timeout(5_000),
      });
      expect(response.status).toBe(400);
      await response.text();
    }
  };

  it('does not stop serving: every request and /healthz answered, and every line there once the reader reads again', async () => {
    const { gateway, graphqlUrl, adminUrl } = await startGateway();
    await errorAnswers(graphqlUrl);
    // Queued, none dropped: the counter is there, at 0.
    expect(await (await fetch(new URL('/metrics', adminUrl), { signal: AbortSignal.timeout(5_000) })).text()).toMatch(/^backup_graph_log_lines_dropped_total 0$/m);
    const health = await fetch(new URL('/healthz', graphqlUrl), { signal: AbortSignal.timeout(5_000) });
    expect(health.status).toBe(200);
    gateway.child.stdout?.resume();
    gateway.child.kill('SIGTERM');
    expect((await gateway.exited).code).toBe(0);
    const lines = gateway.output().split('\n').filter((line) => line.startsWith('{'));
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    // Queued, not lost: 4 MiB holds far more than these.
    expect(messages.filter((msg) => msg === 'request answered with an error')).toHaveLength(ERROR_ANSWERS);
    expect(messages.at(-1)).toBe('shut down');
  }, 120_000);

  it('SIGTERM still stops it, exit 0, with lines queued for the reader that never reads them', async () => {
    const { gateway, graphqlUrl } = await startGateway();
    await errorAnswers(graphqlUrl);
    gateway.child.kill('SIGTERM');
    // Exited while nobody read: the wait for the reader is bounded (1 s; test/unit/bounded-stdout.test.ts shows the
    // bound on its own). A wait for the reader that never ends is this test's timeout; nothing here bounds how long
    // the stop took.
    expect((await gateway.exited).code).toBe(0);
  }, 120_000);
});
