import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/**
 * A word where a number or a boolean goes, and a quoted port, through the real loader. Every
 * string there read "must be a number, written without quotes (a ${NAME} always gives a
 * string)": `retries: two` has neither quotes nor a ${NAME}, and at listen.port a ${NAME} is
 * the one way a string is read as a number.
 */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const problemsOf = (text: string, env: NodeJS.ProcessEnv = {}): string[] => {
  const path = join(temp.make('bg-config-text-number-'), 'config.yaml');
  writeFileSync(path, text);
  try {
    loadConfigFile(path, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

const account = (extra: string): string => `allowAnonymous: true\nproviders:\n  - { id: dc1, kind: danube, url: "https://my.erigones.com/api", auth: { apiKey: "danube-secret-key-xyz" }${extra} }\n`;

describe('text where a number or a boolean goes', () => {
  it('a word or digits with separators, unquoted, is told to be digits, not to lose quotes it has not got', () => {
    const block = 'allowAnonymous: true\nproviders:\n  - id: dc1\n    kind: danube\n    url: https://my.erigones.com/api\n    auth: { apiKey: danube-secret-key-xyz }\n    retries: two\n    maxConcurrency: 1,000\n    cacheTtlMs: 30 000\n';
    expect(problemsOf(block)).toEqual([
      'providers[0].retries (account dc1): must be a number written in digits alone (2, not two; 1000, not 1,000 or 1 000)',
      'providers[0].maxConcurrency (account dc1): must be a number written in digits alone (2, not two; 1000, not 1,000 or 1 000)',
      'providers[0].cacheTtlMs (account dc1): must be a number written in digits alone (2, not two; 1000, not 1,000 or 1 000)',
    ]);
  });

  it('a word where true or false goes says which two words it takes', () => {
    expect(problemsOf(account(', coalesceReads: maybe'))).toEqual(['providers[0].coalesceReads (account dc1): must be true or false']);
  });

  it('a quoted port names the ${NAME} it may be, and no word says a ${NAME} cannot be a number there', () => {
    expect(problemsOf(`listen: { port: "4000" }\n${account('')}`)).toEqual([
      'listen.port: must be a number, written without quotes, or one ${NAME} and nothing else (read as the port)',
    ]);
    expect(problemsOf(`admin: { port: "\${ADMIN_PORT}0" }\n${account('')}`, { ADMIN_PORT: '946' })).toEqual([
      'admin.port: must be a number, written without quotes, or one ${NAME} and nothing else (read as the port)',
    ]);
  });

  it('guard: a quoted number elsewhere, or one from ${NAME}, still says to write it without quotes', () => {
    expect(problemsOf(account(', retries: "2", timeoutMs: "${TIMEOUT}", coalesceReads: "true"'), { TIMEOUT: '5000' })).toEqual([
      'providers[0].timeoutMs (account dc1): must be a number, written without quotes (a ${NAME} always gives a string)',
      'providers[0].retries (account dc1): must be a number, written without quotes (a ${NAME} always gives a string)',
      'providers[0].coalesceReads (account dc1): must be a boolean, written without quotes (a ${NAME} always gives a string)',
    ]);
  });
});
