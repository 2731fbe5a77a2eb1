import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dirs.js';
import { shellEnv, start } from './process.js';

// A newcomer copying refusedLoginHeldMs onto every account saw `valid` for the
// ones that never log in (OnApp, a Danube apiKey, a Zomro token, a ZStack
// sessionId), and believed their refused credentials were held too.

const temp = tempDirs();
afterAll(() => temp.removeAll());

const HOLD = 'refusedLoginHeldMs: 60000';
const accounts = [
  `{ id: flex, kind: onapp, url: "http://127.0.0.1:9/", auth: { username: ops, password: onapp-api-key-long }, ${HOLD} }`,
  `{ id: dc1, kind: danube, url: "http://127.0.0.1:9/api", auth: { apiKey: danube-api-key-long }, ${HOLD} }`,
  `{ id: zomro-nl, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token-long }, timezone: UTC, ${HOLD} }`,
  `{ id: lab, kind: zstack, url: "http://127.0.0.1:9/", auth: { sessionId: zstack-session-long }, backupStorageUuid: fc50c1ece4753c1981e3e3f65a151e0e, timezone: UTC, ${HOLD} }`,
  // These three log in with a password: the hold is theirs, and nothing is said.
  `{ id: dc2, kind: danube, url: "http://127.0.0.1:9/api", auth: { username: ops, password: danube-password-long }, ${HOLD} }`,
  `{ id: zomro-de, kind: zomro, url: "http://127.0.0.1:9/", auth: { username: ops, password: zomro-password-long }, timezone: UTC, ${HOLD} }`,
  `{ id: lab2, kind: zstack, url: "http://127.0.0.1:9/", auth: { accountName: admin, password: zstack-password-long }, backupStorageUuid: fc50c1ece4753c1981e3e3f65a151e0e, timezone: UTC, ${HOLD} }`,
];

const configFile = (): string => {
  const path = join(temp.make('bg-login-hold-'), 'config.yaml');
  writeFileSync(path, `allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nproviders:\n${accounts.map((entry) => `  - ${entry}\n`).join('')}`);
  return path;
};

const expected = (index: number, id: string, what: string): string =>
  `providers[${index}].refusedLoginHeldMs (account ${id}) has no effect: the account ${what} and has no login to hold; ` +
  `the hold is for an account that logs in with a password (Zomro or Danube username and password, ZStack accountName and password): remove it`;

const WARNINGS = [
  expected(0, 'flex', 'sends its OnApp API key with each request'),
  expected(1, 'dc1', 'sends its Danube apiKey with each request'),
  expected(2, 'zomro-nl', 'sends its Zomro token with each request'),
  expected(3, 'lab', 'sends its ZStack sessionId with each request'),
];

describe('refusedLoginHeldMs on an account that never logs in', () => {
  it('--check-config warns of each such account, by path and id, never a secret: still valid (exit 0)', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--check-config', configFile()], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual(WARNINGS.map((warning) => `warning: ${warning}`));
    expect(result.stdout).toMatch(/: valid \(4 warnings\)\n$/);
    expect(result.stdout + result.stderr).not.toMatch(/-long\b/);
  }, 60_000);

  it('start-up logs the same warning per account, with provider and setting as fields, then starts', async () => {
    const gateway = start(process.execPath, ['--import', 'tsx', 'src/main.ts', '--config', configFile()], shellEnv({ LOG_FORMAT: 'json' }));
    try {
      await gateway.waitFor(/GraphiQL: /);
      const lines = gateway.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
      const warned = lines.filter((line) => line.setting === 'refusedLoginHeldMs');
      expect(warned.map((line) => [line.level, line.provider, line.msg])).toEqual(
        WARNINGS.map((warning, index) => [40, ['flex', 'dc1', 'zomro-nl', 'lab'][index], warning]),
      );
      gateway.child.kill('SIGTERM');
      expect((await gateway.exited).code).toBe(0);
    } finally {
      gateway.kill();
    }
  }, 60_000);
});
