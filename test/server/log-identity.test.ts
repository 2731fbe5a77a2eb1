import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dirs.js';
import { builtGatewayBesideZomro } from './built-gateway-beside-zomro.js';
import { shellEnv, start } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

// Two replicas behind HAProxy on one host write to one journal: only the pid
// (and, across hosts, the hostname) on each line says whose it is.
describe('every JSON log line names the process that wrote it', () => {
  const beside = builtGatewayBesideZomro();

  it('start-up, request and shutdown lines carry pid and hostname', async () => {
    const configFile = join(temp.make('bg-log-identity-'), 'config.yaml');
    writeFileSync(configFile, `allowAnonymous: true\nlisten: { host: 127.0.0.1 }\nadmin: { port: 0 }\nproviders:\n  - ${JSON.stringify(beside.simulator().accountConfig('zomro-id'))}\n`);
    const gateway = beside.track(start(process.execPath, ['dist/main.js', '--config', configFile], shellEnv({ PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'debug' })));
    const graphqlUrl = (await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string;
    await fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ instances { totalCount } }' }) });
    gateway.child.kill('SIGTERM');
    expect((await gateway.exited).code).toBe(0);

    const lines = gateway.output().split('\n').filter((line) => line.trim() !== '');
    const events = lines.map((line) => JSON.parse(line) as { msg: string; pid: unknown; hostname: unknown });
    const messages = events.map((event) => event.msg);
    expect(messages.some((msg) => msg.startsWith('Backup Graph ready'))).toBe(true);
    expect(messages).toContain('shutting down: finishing requests in flight');
    expect(messages).toContain('shut down');
    // More than the start and stop: debug lines from serving the request too.
    expect(events.length).toBeGreaterThan(3);
    for (const event of events) expect({ msg: event.msg, pid: event.pid, hostname: event.hostname }).toEqual({ msg: event.msg, pid: gateway.child.pid, hostname: hostname() });
  }, 120_000);
});
