import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/**
 * A config of two YAML documents (a `---` line between them: a Kubernetes habit, or two files
 * joined with `cat`) was read to its first alone, without a word: the settings after the `---`
 * were left out: here the clients, and with `allowAnonymous: true` and no clients every caller is
 * an anonymous admin (`anonymousRole`'s default); `--check-config` said "valid". It is refused at the `---` line; an empty document after one is taken.
 */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const file = (lines: readonly string[]): string => {
  const path = join(temp.make('bg-config-documents-'), 'config.yaml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};
const load = (path: string): { problems: string[]; clients?: number } => {
  try {
    return { problems: [], clients: loadConfigFile(path, {}).clients?.length ?? 0 };
  } catch (error) {
    if (error instanceof ConfigError) return { problems: error.problems };
    throw error;
  }
};
const ACCOUNT = ['providers:', '  - id: zomro-nl', '    kind: zomro', '    url: https://api.zomro.example/', '    timezone: UTC', '    auth: { token: "zomro-secret-token-xyz" }'];
const CLIENTS = ['clients:', '  - { name: ops, key: "0123456789abcdef0123", roles: [admin] }'];

describe('a config of more than one YAML document', () => {
  it('is refused at the --- line, not read to its first document alone', () => {
    const path = file(['allowAnonymous: true', ...ACCOUNT, '---', ...CLIENTS]);
    expect(load(path).problems).toEqual([
      `${path}:8:1: not valid YAML: the file holds a second YAML document (after a --- line), and only the first is read: its settings would be left out; join the two into one, without the --- line between them`,
    ]);
  });

  it('after a ... line (the end of a document in YAML), without a ---: said so, not "after a --- line", which the file has none of', () => {
    const path = file(['allowAnonymous: true', ...ACCOUNT, '...', ...CLIENTS]);
    expect(load(path).problems).toEqual([
      `${path}:9:1: not valid YAML: the file holds a second YAML document (after a ... line, the end of a document in YAML), and only the first is read: its settings would be left out; delete the ... line, so the two are one`,
    ]);
  });

  it('takes a ... line at the end, or with comments only after it (guard)', () => {
    expect(load(file([...ACCOUNT, ...CLIENTS, '...']))).toEqual({ problems: [], clients: 1 });
    expect(load(file([...ACCOUNT, ...CLIENTS, '... # end', '# nothing more']))).toEqual({ problems: [], clients: 1 });
  });

  it('takes a --- before the settings, or an empty document after them (guard)', () => {
    expect(load(file(['---', ...ACCOUNT, ...CLIENTS]))).toEqual({ problems: [], clients: 1 });
    expect(load(file([...ACCOUNT, ...CLIENTS, '---', '# nothing more']))).toEqual({ problems: [], clients: 1 });
  });
});
