import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/**
 * A second YAML document that is one plain word (`--- production`, a label meant as a comment)
 * is no empty document: it is left out as a map of settings would be, so it is refused too. Only
 * an empty or comments-only one (YAML's null) is taken.
 */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const ACCOUNT = ['allowAnonymous: true', 'providers:', '  - id: zomro-nl', '    kind: zomro', '    url: https://api.zomro.example/', '    timezone: UTC', '    auth: { token: "zomro-secret-token-xyz" }'];
const problemsOf = (lines: readonly string[]): { path: string; problems: string[] } => {
  const path = join(temp.make('bg-config-documents-'), 'config.yaml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  try {
    loadConfigFile(path, {});
    return { path, problems: [] };
  } catch (error) {
    if (error instanceof ConfigError) return { path, problems: error.problems };
    throw error;
  }
};

describe('a second YAML document of one plain word', () => {
  it('is refused at its --- line', () => {
    const { path, problems } = problemsOf([...ACCOUNT, '--- production']);
    expect(problems).toEqual([
      `${path}:8:1: not valid YAML: the file holds a second YAML document (after a --- line), and only the first is read: its settings would be left out; join the two into one, without the --- line between them`,
    ]);
  });

  it('a bare --- at the end is taken (guard)', () => {
    expect(problemsOf([...ACCOUNT, '---']).problems).toEqual([]);
  });
});
