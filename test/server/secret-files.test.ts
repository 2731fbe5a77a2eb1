import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZOMRO_SIM_TOKEN } from '../../src/providers/zomro/simulator.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { builtGatewayBesideZomro } from './built-gateway-beside-zomro.js';
import { ROOT, shellEnv, start } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/**
 * `${NAME}` in the config reads NAME, or the file NAME_FILE names (Docker
 * secrets, Kubernetes secret volumes), less one trailing newline. The
 * process is the built gateway, as the container runs it.
 */
const CLIENT_KEY = 'dashboard-key-from-a-file-0123';
const SECRET_IN_FILE = 'secret-held-in-a-file-4f1c';

const dir = (): string => temp.make('bg-secret-files-');
// Owner-only, as a secret file should be: one readable by group or others is warned of (secret-file-modes.test.ts).
const writeIn = (folder: string, name: string, text: string): string => {
  const path = join(folder, name);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
};

describe('${NAME} from NAME_FILE', () => {
  const beside = builtGatewayBesideZomro();

  const configIn = (folder: string): string => {
    const account = { ...beside.simulator().accountConfig('zomro-files'), auth: { token: '${ZOMRO_TOKEN}' } };
    return writeIn(folder, 'config.yaml', `listen: { host: 127.0.0.1 }\nadmin: { port: 0 }\nclients:\n  - { name: dashboard, key: "\${DASHBOARD_KEY}", roles: [viewer] }\nproviders:\n  - ${JSON.stringify(account)}\n`);
  };
  /** The built gateway's start with `env`: exit code and everything it wrote. */
  const refusedStart = (config: string, env: Record<string, string>) => {
    const result = spawnSync(process.execPath, ['dist/main.js', '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: shellEnv({ PORT: '0', ...env }) });
    // stderr: the problem lines (the start-up contract); output: everything, the JSON log event on stdout included.
    return { status: result.status, stderr: result.stderr, output: result.stderr + result.stdout };
  };

  it('serves with a client key and a provider token read from files, each less its last newline and a byte-order mark', async () => {
    const folder = dir();
    const config = configIn(folder);
    // The token as Notepad saved it (UTF-8 with a BOM): kept, the mark went to Zomro with the token, and was refused.
    const env = { DASHBOARD_KEY_FILE: writeIn(folder, 'dashboard-key', `${CLIENT_KEY}\n`), ZOMRO_TOKEN_FILE: writeIn(folder, 'zomro-token', `\uFEFF${ZOMRO_SIM_TOKEN}\r\n`) };
    const gateway = beside.track(start(process.execPath, ['dist/main.js', '--config', config], shellEnv({ PORT: '0', LOG_FORMAT: 'json', ...env })));
    const graphqlUrl = (await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string;
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ query: '{ instances { totalCount providerErrors { code } } }' }),
    });
    const answer = (await response.json()) as { data: { instances: { totalCount: number; providerErrors: unknown[] } } };
    // The token as the simulator knows it: with its newline, the config check refuses it, and Zomro would too.
    expect(answer.data.instances.providerErrors).toEqual([]);
    expect(answer.data.instances.totalCount).toBeGreaterThan(0);
    expect(gateway.output()).not.toContain(CLIENT_KEY);
  }, 120_000);

  it('removes one trailing newline only: a second is the key\'s own, and refused', () => {
    const folder = dir();
    const result = refusedStart(configIn(folder), { DASHBOARD_KEY_FILE: writeIn(folder, 'dashboard-key', `${CLIENT_KEY}\n\n`), ZOMRO_TOKEN: ZOMRO_SIM_TOKEN });
    expect(result.status).toBe(2);
    expect(result.output).toContain("clients[0].key (client dashboard): begins or ends with whitespace or a line break (a secret file's last newline?)");
    expect(result.output).not.toContain(CLIENT_KEY);
  }, 60_000);

  it('refuses a NAME_FILE it cannot read (exit 2), naming the variable and the path, never what a file holds', () => {
    const folder = dir();
    const config = configIn(folder);
    const missing = join(folder, 'not-mounted');
    const directory = join(folder, 'a-directory');
    mkdirSync(directory);
    const fifo = join(folder, 'a-fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const large = writeIn(folder, 'large', `${SECRET_IN_FILE}${'x'.repeat(70_000)}`);
    const latin1 = join(folder, 'latin-1');
    writeFileSync(latin1, Buffer.from(`${SECRET_IN_FILE}\u00e9`, 'latin1'));
    // A secret volume mounted before its secret was filled in: it read "required" at the key, with nothing pointing at the file.
    const empty = writeIn(folder, 'empty', '\n');
    const cases: Array<[string, string]> = [
      [missing, 'no such file: write the value into it, or unset ZOMRO_TOKEN_FILE and set ZOMRO_TOKEN'],
      [empty, 'the file is empty'],
      [directory, 'it is a directory: name the file in it that holds the value (a mounted secret volume holds one file per key)'],
      // Opening a FIFO waits for a writer: the start would have hung here.
      [fifo, 'not a regular file'],
      [large, '70026 bytes, more than a secret (65536 at most)'],
      // Decoded anyway, the é became U+FFFD: another token, refused by the provider with nothing pointing at the file.
      [latin1, 'not UTF-8 text (save the file as UTF-8)'],
    ];
    for (const [path, why] of cases) {
      const result = refusedStart(config, { DASHBOARD_KEY: CLIENT_KEY, ZOMRO_TOKEN_FILE: path });
      expect(result.status).toBe(2);
      expect(result.stderr.trim()).toBe(`providers[0].auth.token (account zomro-files): cannot read ZOMRO_TOKEN_FILE (${path}): ${why}`);
      expect(result.output).not.toContain(SECRET_IN_FILE);
    }
  }, 60_000);

  it('never quotes a relative NAME_FILE: a secret put there by mistake reads as one', () => {
    const folder = dir();
    const result = refusedStart(configIn(folder), { DASHBOARD_KEY: CLIENT_KEY, ZOMRO_TOKEN_FILE: SECRET_IN_FILE });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`providers[0].auth.token (account zomro-files): cannot read ZOMRO_TOKEN_FILE (a relative path, not quoted as it may be the secret itself; read from ${ROOT.replace(/\/$/, '')}): no such file: write the value into it, or unset ZOMRO_TOKEN_FILE and set ZOMRO_TOKEN`);
    expect(result.output).not.toContain(SECRET_IN_FILE);
  }, 60_000);

  it('refuses NAME and NAME_FILE both set (exit 2): which one was meant is not for the gateway to guess', () => {
    const folder = dir();
    const result = refusedStart(configIn(folder), { DASHBOARD_KEY: CLIENT_KEY, DASHBOARD_KEY_FILE: writeIn(folder, 'dashboard-key', `${SECRET_IN_FILE}\n`), ZOMRO_TOKEN: ZOMRO_SIM_TOKEN });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('clients[0].key (client dashboard): environment variables DASHBOARD_KEY and DASHBOARD_KEY_FILE are both set: unset one (DASHBOARD_KEY_FILE names a file holding the value)');
    expect(result.output).not.toContain(CLIENT_KEY);
    expect(result.output).not.toContain(SECRET_IN_FILE);
  }, 60_000);

  it('--check-config reads NAME_FILE the same way', () => {
    const folder = dir();
    const config = configIn(folder);
    const result = spawnSync(process.execPath, ['dist/main.js', '--check-config', config], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: shellEnv({ DASHBOARD_KEY_FILE: writeIn(folder, 'dashboard-key', `${CLIENT_KEY}\n`), ZOMRO_TOKEN: ZOMRO_SIM_TOKEN }),
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(`${config}: valid`);
    expect(result.status).toBe(0);
  }, 60_000);
});
