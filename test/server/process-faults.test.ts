import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/harness.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { builtGatewayBesideZomro } from './built-gateway-beside-zomro.js';
import { portClosed, shellEnv, start, type Spawned } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/** Plants an unhandled rejection on SIGUSR2 and an uncaught exception on SIGWINCH, each quoting PLANTED_FAULT_SECRET. */
const FIXTURE = new URL('../fixtures/plant-process-faults.mjs', import.meta.url).href;

/** The value of one series of /metrics' text, NaN when it is not there. */
const seriesValue = (metrics: string, series: string): number => {
  const line = metrics.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
};

const query = (graphqlUrl: string, text: string): Promise<Response> => fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: text }) });

/**
 * A rejection or a throw no handler of the gateway caught (graphql-jit's TypeError for a field
 * aliased `__proto__` was one) ended the process at node's default: every client's requests cut,
 * and the stack, which may quote a credential, on stderr. The compiled gateway (dist/) with a
 * preload that plants each fault on a signal the test sends.
 */
describe('faults no handler caught, once serving', () => {
  const built = builtGatewayBesideZomro();

  const startGateway = async (): Promise<{ gateway: Spawned; secret: string; graphqlUrl: string; url: string; metric: (series: string) => Promise<number> }> => {
    const account = built.simulator().accountConfig('zomro');
    const secret = (account.auth as { token: string }).token;
    const path = join(temp.make('bg-process-faults-'), 'config.yaml');
    writeFileSync(path, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, admin: { port: 0 }, allowAnonymous: true, anonymousRole: 'viewer', shutdown: { drainTimeoutMs: 20_000, readyzGraceMs: 0 }, providers: [account] }));
    const gateway = built.track(start(process.execPath, ['--import', FIXTURE, 'dist/main.js', '--config', path], shellEnv({ PORT: '0', LOG_FORMAT: 'json', PLANTED_FAULT_SECRET: secret })));
    const graphqlUrl = (await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string;
    const adminUrl = (await gateway.waitFor(/"adminUrl":"([^"]+)"/))[1] as string;
    const metric = async (series: string): Promise<number> => seriesValue(await (await fetch(new URL('/metrics', adminUrl))).text(), series);
    return { gateway, secret, graphqlUrl, url: new URL(graphqlUrl).origin, metric };
  };

  it('an unhandled rejection is logged scrubbed and counted, and the gateway keeps serving', async () => {
    const { gateway, secret, graphqlUrl, metric } = await startGateway();
    expect(await metric('backup_graph_unhandled_errors_total{kind="unhandled_rejection"}')).toBe(0);
    gateway.child.kill('SIGUSR2');
    const line = JSON.parse((await gateway.waitFor(/^.*unhandled promise rejection.*$/m))[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 50, kind: 'unhandled_rejection', errorName: 'Error' });
    expect(line.msg).toContain('planted rejection quoting [redacted]');
    expect(await query(graphqlUrl, '{ __typename }').then((response) => response.json())).toEqual({ data: { __typename: 'Query' } });
    expect(await metric('backup_graph_unhandled_errors_total{kind="unhandled_rejection"}')).toBe(1);
    expect(await metric('backup_graph_unhandled_errors_total{kind="uncaught_exception"}')).toBe(0);
    gateway.child.kill('SIGTERM');
    expect((await gateway.exited).code).toBe(0);
    expect(gateway.output()).not.toContain(secret);
  }, 60_000);

  it('an uncaught exception drains as SIGTERM does, answering the request in flight, and exits 1', async () => {
    const { gateway, secret, graphqlUrl, url, metric } = await startGateway();
    const hold = built.simulator().server.holdAnswersOf('instances.fleio_bckps');
    try {
      const held = query(graphqlUrl, '{ instances(first: 1) { edges { node { backups { id } } } } }');
      await hold.arrived;
      gateway.child.kill('SIGWINCH');
      const line = JSON.parse((await gateway.waitFor(/^.*uncaught exception.*$/m))[0]) as Record<string, unknown>;
      expect(line).toMatchObject({ level: 60, kind: 'uncaught_exception', errorName: 'TypeError' });
      expect(line.msg).toContain('planted exception quoting [redacted]');
      // The drain SIGTERM starts: new connections refused while the held request is still running (the admin listener with it).
      await eventually(() => portClosed(url), (closed) => closed);
      expect(await metric('backup_graph_unhandled_errors_total{kind="uncaught_exception"}')).toBe(1);
      hold.release();
      const answer = (await (await held).json()) as { data?: { instances: { edges: unknown[] } }; errors?: unknown };
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.instances.edges).toHaveLength(1);
      expect((await gateway.exited).code).toBe(1);
      expect(gateway.output()).toContain('"msg":"shut down"');
      expect(gateway.output()).not.toContain(secret);
    } finally {
      hold.release();
    }
  }, 60_000);
});
