import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dirs.js';
import { ensureBuilt, ROOT, shellEnv, start } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/**
 * A secret file (NAME_FILE) that users other than the gateway's may read is warned of, at start
 * and by --check-config, naming the variable, the file and its mode, never what it holds; never
 * refused (containers mount secrets 0644). 0640 in the gateway's own group (the files here are
 * this process's) is a choice, not warned of.
 */
const CLIENT_KEY = 'dashboard-key-from-a-loose-file-77';
const TOKEN = 'zomro-token-from-a-tight-file-31';
const REDIS_URL = 'redis://:redis-password-in-a-file-5@127.0.0.1:6379/0';

function setUp() {
  const folder = temp.make('bg-secret-modes-');
  const file = (name: string, text: string, mode: number): string => {
    const path = join(folder, name);
    writeFileSync(path, text);
    chmodSync(path, mode);
    return path;
  };
  const config = file('config.yaml', 'listen: { host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nclients:\n  - { name: dashboard, key: "${DASHBOARD_KEY}", roles: [viewer] }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: "${ZOMRO_TOKEN}" }, timezone: UTC }\n', 0o644);
  const files = { DASHBOARD_KEY_FILE: file('dashboard_key', `${CLIENT_KEY}\n`, 0o644), ZOMRO_TOKEN_FILE: file('zomro_token', TOKEN, 0o600), REDIS_URL_FILE: file('redis_url', REDIS_URL, 0o640) };
  return { config, files };
}

const secretsIn = (text: string): string[] => [CLIENT_KEY, TOKEN, REDIS_URL, 'redis-password-in-a-file-5'].filter((secret) => text.includes(secret));

describe('secret files readable beyond their owner', () => {
  it('--check-config: a warning for the file others may read (mode named, content never), none for 0600 or 0640 in its own group, still valid (exit 0)', () => {
    ensureBuilt();
    const { config, files } = setUp();
    const result = spawnSync(process.execPath, ['dist/main.js', '--check-config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: shellEnv(files) });
    expect(result.status).toBe(0);
    const warnings = result.stderr.split('\n').filter((line) => line.startsWith('warning: '));
    expect(warnings).toEqual([
      `warning: DASHBOARD_KEY_FILE (${files.DASHBOARD_KEY_FILE}) is readable by users other than the gateway's (mode 0644): chmod 600 it (or 640 with a group the gateway runs in), as ssh asks of a key; read anyway (a container's mounted secrets are often 0644)`,
    ]);
    expect(result.stdout).toBe(`${config}: valid (1 warning)\n`);
    expect(secretsIn(result.stdout + result.stderr)).toEqual([]);
  }, 60_000);

  it('the start: a warn event naming the variable and mode, and it serves', async () => {
    ensureBuilt();
    const { config, files } = setUp();
    const { REDIS_URL_FILE: _redis, ...withoutRedis } = files;
    const gateway = start(process.execPath, ['dist/main.js', '--config', config], shellEnv({ PORT: '0', LOG_FORMAT: 'json', ...withoutRedis }));
    try {
      await gateway.waitFor(/"msg":"Backup Graph ready/);
      const events = gateway.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
      const loose = events.filter((event) => typeof event.msg === 'string' && event.msg.includes('readable by users other'));
      expect(loose).toEqual([expect.objectContaining({ level: 40, setting: 'DASHBOARD_KEY_FILE', mode: '0644', msg: expect.stringContaining(`DASHBOARD_KEY_FILE (${files.DASHBOARD_KEY_FILE}) is readable by users other than the gateway's (mode 0644)`) })]);
      expect(secretsIn(gateway.output())).toEqual([]);
    } finally {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
    }
  }, 60_000);

  it("--check-config: no warning for the files systemd placed in the unit's $CREDENTIALS_DIRECTORY (its ACL shows as 0440), still one for a loose file elsewhere", () => {
    ensureBuilt();
    const { config, files } = setUp();
    const credentials = temp.make('bg-credentials-');
    const credential = join(credentials, 'dashboard_key');
    writeFileSync(credential, `${CLIENT_KEY}\n`);
    // 0644 for the ACL'd 0440 systemd shows: these tests run as root, whose own group 0440's root group is.
    chmodSync(credential, 0o644);
    const env = shellEnv({ ...files, DASHBOARD_KEY_FILE: credential, ZOMRO_TOKEN_FILE: files.DASHBOARD_KEY_FILE, CREDENTIALS_DIRECTORY: credentials });
    const result = spawnSync(process.execPath, ['dist/main.js', '--check-config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env });
    expect(result.status).toBe(0);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('warning: ')).map((line) => line.split(' (')[0])).toEqual(['warning: ZOMRO_TOKEN_FILE']);
  }, 60_000);
});
