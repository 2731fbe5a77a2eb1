import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/**
 * Two files saved "UTF-8 with BOM" (a Windows editor's default) joined with `cat`: the second
 * one's byte-order mark, invisible in editors and terminals, begins a line in the middle of the
 * file and became part of the key after it: `clients: unknown key; did you mean "clients"?` (the
 * mark unseen before the first), naming a key that reads exactly as the one suggested, or a YAML refusal about nested mappings.
 * It is named at its line; one at the very start of the file is taken, as before.
 */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const BOM = '\ufeff';
const ACCOUNT = ['allowAnonymous: true', 'providers:', '  - id: zomro-nl', '    kind: zomro', '    url: https://api.zomro.example/', '    timezone: UTC', '    auth: { token: "zomro-secret-token-xyz" }'];
const CLIENTS = ['clients:', '  - { name: ops, key: "0123456789abcdef0123", roles: [admin] }'];
const file = (text: string): string => {
  const path = join(temp.make('bg-config-bom-'), 'config.yaml');
  writeFileSync(path, text);
  return path;
};
const problemsOf = (path: string): string[] => {
  try {
    loadConfigFile(path, {});
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};
const STRAY = 'a byte-order mark (U+FEFF, invisible in editors) begins this line: files saved as "UTF-8 with BOM" joined into one (cat a.yaml b.yaml)? Delete it, or save each part as UTF-8 without BOM before joining them';

describe('a byte-order mark inside a config file', () => {
  it('before a key (files joined with cat): named at its line, not "unknown key; did you mean"', () => {
    const path = file(`${ACCOUNT.join('\n')}\n${BOM}${CLIENTS.join('\n')}\n`);
    expect(problemsOf(path)).toEqual([`${path}:8:1: ${STRAY}`]);
  });

  it('before a list item, and with Windows line ends: the same', () => {
    const path = file(`${[...ACCOUNT, CLIENTS[0]!].join('\r\n')}\r\n${BOM}${CLIENTS[1]}\r\n`);
    expect(problemsOf(path)).toEqual([`${path}:9:1: ${STRAY}`]);
  });

  it('at the start of the file is taken, as every YAML reader takes it (guard)', () => {
    expect(problemsOf(file(`${BOM}${[...ACCOUNT, ...CLIENTS].join('\n')}\n`))).toEqual([]);
  });
});
