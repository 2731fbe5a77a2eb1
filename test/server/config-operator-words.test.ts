import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dirs.js';

/**
 * What an operator reads from `--check-config` and a refused start when the config is wrong:
 * which account (counted as people count), where in the file (as an editor jumps to it), and
 * what to do, never a secret. The real CLI, on real files.
 */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });

const file = (text: string): string => {
  const path = join(temp.make('bg-config-words-'), 'config.yaml');
  writeFileSync(path, text);
  return path;
};

const ONAPP_PASSWORD = 'onapp-secret-pw-123';

describe('config problems as an operator reads them', () => {
  it('name a provider account by its id, or by its place counted from one, in --check-config and at start, as the warnings do', () => {
    const path = file(
      [
        'allowAnonymous: true',
        'providers:',
        '  - { id: zomro-nl, kind: zomro, url: "https://api.zomro.example/", timezone: UTC, auth: { token: "zomro-secret-token-xyz" }, timeoutMs: 10s }',
        `  - { kind: onapp, url: "https://onapp.example/", auth: { username: ops, password: "${ONAPP_PASSWORD}" } }`,
        '  - { id: flex, kind: onapp, url: "https://onapp.example/", auth: { username: ops, password: "" } }',
        '',
      ].join('\n'),
    );
    for (const args of [['--check-config', path], ['--config', path]]) {
      const result = run(args);
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([
        // A number written with a unit said "written without quotes", though it had none.
        'providers[0].timeoutMs (account zomro-nl): must be a number of milliseconds without a unit: 10s is 10000',
        'providers[1].id (the 2nd provider): required',
        'providers[2].auth.password (account flex): must not be empty',
      ]);
      expect(result.stderr).not.toContain(ONAPP_PASSWORD);
    }
  });

  it('say a number of hours written with a unit (rpoHours: 24h, an account\'s objective 2d) in hours, as a ...Ms one is said in milliseconds (it read "must be a plain number, without a unit")', () => {
    const path = file(
      [
        'allowAnonymous: true',
        'protection: { rpoHours: 24h, perProvider: { zomro-nl: 2d, lab: 90m }, sweepIntervalMs: 1d }',
        'providers:',
        '  - { id: zomro-nl, kind: zomro, url: "https://api.zomro.example/", timezone: UTC, auth: { token: "zomro-secret-token-xyz" } }',
        '  - { id: lab, kind: zomro, url: "https://api.zomro.example/", timezone: UTC, auth: { token: "zomro-secret-token-abc" } }',
        '',
      ].join('\n'),
    );
    const result = run(['--check-config', path]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'protection.rpoHours: must be a number of hours without a unit: 24h is 24',
      'protection.perProvider.zomro-nl: must be a number of hours without a unit: 2d is 48',
      // Not a whole number of hours: no figure offered.
      'protection.perProvider.lab: must be a number of hours without a unit',
      'protection.sweepIntervalMs: must be a number of milliseconds without a unit: 1d is 86400000',
    ]);
  });

  it('say where a file is not YAML as PATH:LINE:COLUMN, and that a tab must be spaces, without quoting the line', () => {
    const path = file('allowAnonymous: true\nproviders:\n  - id: zomro-nl\n\tkind: zomro\n    auth: { token: "zomro-secret-token-xyz" }\n');
    const result = run(['--check-config', path]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`${path}:4:1: not valid YAML: Tabs are not allowed as indentation: indent with spaces (an editor set to insert tabs wrote this one)`);
    expect(result.stderr).not.toContain('zomro-secret-token-xyz');
  });

  it('warn of a provider secret with a space at an end (a .env value), naming account and key, never the value', () => {
    const path = file('allowAnonymous: true\nproviders:\n  - { id: zomro-nl, kind: zomro, url: "https://api.zomro.example/", timezone: UTC, auth: { token: "${ZOMRO_TOKEN}" } }\n');
    const result = run(['--check-config', path], { ZOMRO_TOKEN: 'zomro-secret-token-xyz ' });
    expect(result.status).toBe(0);
    expect(result.stderr.trim()).toBe(
      'warning: providers[0].auth.token (account zomro-nl) begins or ends with a space: it is sent with it, and the provider refuses the login unless the space is part of the secret; if it is not, remove it (from the file, or from the variable that gives it)',
    );
    expect(result.stdout.trim()).toBe(`${path}: valid (1 warning)`);
  });
});
