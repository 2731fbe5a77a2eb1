import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/**
 * A role or log level written in another case (`roles: [Admin]`, `logLevel: INFO`) read only
 * "must be one of viewer, operator, admin", the word looking right to its writer; a provider
 * kind so written already said "(kinds are lower case)".
 */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const problemsOf = (text: string): string[] => {
  const path = join(temp.make('bg-config-word-case-'), 'config.yaml');
  writeFileSync(path, text);
  try {
    loadConfigFile(path, {});
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

const ACCOUNT = '{ id: dc1, kind: danube, url: "https://my.erigones.com/api", auth: { apiKey: "danube-secret-key-xyz" } }';

describe('a word of a fixed list written in another case', () => {
  it('names the word to write, in lower case', () => {
    expect(problemsOf(`logLevel: INFO\nclients:\n  - { name: ops, key: ops-key-0123456789abcdef, roles: [Admin] }\nproviders:\n  - ${ACCOUNT}\n`)).toEqual([
      'clients[0].roles[0] (client ops): must be one of viewer, operator, admin: write admin, in lower case',
      'logLevel: must be one of fatal, error, warn, info, debug, trace, silent: write info, in lower case',
    ]);
  });

  it('guard: a word of no case of the list is told the list alone', () => {
    expect(problemsOf(`logLevel: loud\nclients:\n  - { name: ops, key: ops-key-0123456789abcdef, roles: [root] }\nproviders:\n  - ${ACCOUNT}\n`)).toEqual([
      'clients[0].roles[0] (client ops): must be one of viewer, operator, admin',
      'logLevel: must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });
});
