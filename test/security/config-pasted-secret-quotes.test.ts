import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/**
 * A secret pasted where an id, a client's name or a perProvider key goes: the config's problems
 * say where, never what was written there (they go to a terminal, a CI log, a pod's events).
 */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const SECRET = 'Zq8sEcReTpAsTe9';
const ACCOUNT = 'kind: zomro, url: "https://api.zomro.example/", auth: { token: "zomro-secret-token-xyz" }';

const file = (text: string): string => {
  const path = join(temp.make('bg-config-pasted-'), 'config.yaml');
  writeFileSync(path, text);
  return path;
};

const problemsOf = (text: string, env: NodeJS.ProcessEnv = {}): string[] => {
  try {
    loadConfigFile(file(text), env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('a secret pasted into a config problem', () => {
  it('a perProvider key not of an id form is not quoted, in its value problem nor its missing variable', () => {
    const wrongValue = problemsOf(`allowAnonymous: true\nproviders:\n  - { id: a, ${ACCOUNT} }\nprotection:\n  perProvider: { "${SECRET}": "xx" }\n`);
    expect(wrongValue.length).toBeGreaterThan(0);
    expect(wrongValue.join('\n')).not.toContain(SECRET);
    expect(wrongValue.join('\n')).toContain('protection.perProvider');
    const missing = problemsOf(`allowAnonymous: true\nproviders:\n  - { id: a, ${ACCOUNT} }\nprotection:\n  perProvider: { "${SECRET}": "\${NOT_SET_HERE}" }\n`);
    expect(missing.join('\n')).toContain('NOT_SET_HERE');
    expect(missing.join('\n')).not.toContain(SECRET);
  });

  it('a usable perProvider key is still quoted', () => {
    expect(problemsOf(`allowAnonymous: true\nproviders:\n  - { id: a, ${ACCOUNT} }\nprotection:\n  perProvider: { a: "xx" }\n`)).toEqual([
      'protection.perProvider.a: must be a number written in digits alone (2, not two; 1000, not 1,000 or 1 000)',
    ]);
  });

  it('two providers given one id not of an id form: the duplicate is told without quoting it', () => {
    const problems = problemsOf(`allowAnonymous: true\nproviders:\n  - { id: "${SECRET}", ${ACCOUNT} }\n  - { id: "${SECRET}", ${ACCOUNT} }\n`);
    expect(problems.some((line) => line.includes('duplicate provider id'))).toBe(true);
    expect(problems.join('\n')).not.toContain(SECRET);
  });

  it('two clients given one name not of a name form (a key pasted there): the duplicate is told without quoting it', () => {
    const name = `${SECRET}/+=`;
    const problems = problemsOf(
      `providers:\n  - { id: a, ${ACCOUNT} }\nclients:\n  - { name: "${name}", key: "k1-abcdefghijklmnopqrstuvwxyz0123456789", roles: [viewer] }\n  - { name: "${name}", key: "k2-abcdefghijklmnopqrstuvwxyz0123456789", roles: [viewer] }\n`,
    );
    expect(problems.some((line) => line.includes('duplicate client name'))).toBe(true);
    expect(problems.join('\n')).not.toContain(SECRET);
  });

  it('--check-config prints none of them', () => {
    const path = file(
      `providers:\n  - { id: "${SECRET}", ${ACCOUNT} }\n  - { id: "${SECRET}", ${ACCOUNT} }\nclients:\n  - { name: "${SECRET}=", key: "k1-abcdefghijklmnopqrstuvwxyz0123456789", roles: [viewer] }\n  - { name: "${SECRET}=", key: "k2-abcdefghijklmnopqrstuvwxyz0123456789", roles: [viewer] }\nprotection:\n  perProvider: { "${SECRET}": "xx" }\n`,
    );
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--check-config', path], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('duplicate provider id');
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  }, 60_000);
});
