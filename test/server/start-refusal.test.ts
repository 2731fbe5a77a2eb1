import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dirs.js';
import { ensureBuilt, ROOT, shellEnv } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/**
 * A replica that does not come up says why on stderr (one line per config
 * problem: the start-up contract), and, where the logs are JSON, as a log
 * event naming the process: stderr's lines carried no pid or hostname, and a
 * log pipeline reading stdout saw nothing at all.
 */
const SECRET = 'dashboard-key-that-is-long-enough-9f3e';

const configFile = (text: string): string => {
  const path = join(temp.make('bg-start-refusal-'), 'config.yaml');
  writeFileSync(path, text);
  return path;
};
// A key with a space before it: refused, and the problem names the key path, never the value.
const REFUSED = configFile('clients:\n  - { name: dashboard, key: "${DASHBOARD_KEY}", roles: [viewer] }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token-0000 } }\n');
const VALID = configFile('allowAnonymous: true\nlisten: { host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token-0000 } }\n');

const run = (config: string, env: Record<string, string>) => {
  ensureBuilt();
  const result = spawnSync(process.execPath, ['dist/main.js', '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: shellEnv({ PORT: '0', DASHBOARD_KEY: ` ${SECRET}`, ...env }) });
  return { status: result.status, pid: result.pid, stdout: result.stdout, stderr: result.stderr };
};

interface RefusalEvent {
  level: number;
  msg: string;
  pid: number;
  hostname: string;
  service: string;
  problems: string[];
  exitCode: number;
}

describe('a refused start is a log event naming its process', () => {
  it('bad config, JSON logs: exit 2, the problem lines on stderr as before, and one fatal JSON line on stdout with pid and hostname', () => {
    const result = run(REFUSED, { LOG_FORMAT: 'json' });
    expect(result.status).toBe(2);
    const problem = 'clients[0].key (client dashboard): begins or ends with whitespace or a line break (a secret file\'s last newline?): no caller can send that key; remove it';
    expect(result.stderr).toBe(`${problem}\n`);
    const lines = result.stdout.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    const event = JSON.parse(lines[0] as string) as RefusalEvent;
    expect(event).toMatchObject({ level: 60, msg: 'start refused: invalid configuration', pid: result.pid, hostname: hostname(), service: 'backup-graph', problems: [problem], exitCode: 2 });
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  }, 60_000);

  it('a start that fails (port in use): exit 1, its line on stderr and as a fatal JSON event', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    try {
      const port = (holder.address() as AddressInfo).port;
      const result = run(VALID, { PORT: String(port), LOG_FORMAT: 'json' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`backup-graph failed to start: port ${port} on 127.0.0.1 is in use`);
      const event = JSON.parse(result.stdout.split('\n').filter((line) => line !== '').at(-1) as string) as RefusalEvent;
      expect(event).toMatchObject({ level: 60, msg: 'start failed', pid: result.pid, hostname: hostname(), exitCode: 1 });
      expect(event.problems[0]).toContain(`port ${port} on 127.0.0.1 is in use`);
    } finally {
      holder.close();
    }
  }, 60_000);

  it('an address this machine does not have: exit 1 naming the key to change (node said "listen EADDRNOTAVAIL: address not available" alone)', () => {
    const publicListener = run(VALID, { HOST: '192.0.2.1', LOG_FORMAT: 'pretty' });
    expect(publicListener.status).toBe(1);
    expect(publicListener.stderr.trim()).toBe('backup-graph failed to start: 192.0.2.1 is not an address of this machine (EADDRNOTAVAIL): listen on one it has, 0.0.0.0 for every interface or 127.0.0.1 for loopback only (HOST or listen.host)');
    const adminAway = configFile('allowAnonymous: true\nlisten: { host: 127.0.0.1 }\nadmin: { port: 0, host: 192.0.2.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token-0000 } }\n');
    const adminListener = run(adminAway, { LOG_FORMAT: 'pretty' });
    expect(adminListener.status).toBe(1);
    expect(adminListener.stderr.trim()).toBe('backup-graph failed to start: 192.0.2.1 is not an address of this machine (EADDRNOTAVAIL): listen on one it has, 0.0.0.0 for every interface or 127.0.0.1 for loopback only (admin.host)');
  }, 60_000);

  it('pretty logs (a person at a terminal): the stderr lines only, no second copy', () => {
    const result = run(REFUSED, { LOG_FORMAT: 'pretty' });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('clients[0].key (client dashboard): begins or ends with whitespace');
  }, 60_000);

  it('--check-config stays a command for people: no log event, whatever LOG_FORMAT says', () => {
    ensureBuilt();
    const result = spawnSync(process.execPath, ['dist/main.js', '--check-config', REFUSED], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: shellEnv({ DASHBOARD_KEY: ` ${SECRET}`, LOG_FORMAT: 'json' }) });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
  }, 60_000);
});
