import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/**
 * An alias inside the block its own anchor marks makes a value that holds itself: the loader's
 * walks of it ran out of stack, and the start failed with "Maximum call stack size exceeded",
 * naming no line. It is a YAML problem with its line, like an alias with no anchor.
 */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const file = (lines: readonly string[]): string => {
  const path = join(temp.make('bg-config-alias-'), 'config.yaml');
  writeFileSync(path, `${lines.join('\n')}\n`);
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
const ACCOUNT = ['  - id: zomro-nl', '    kind: zomro', '    url: https://api.zomro.example/', '    timezone: UTC', '    auth: { token: "zomro-secret-token-xyz" }'];

describe('an alias inside the block its anchor marks', () => {
  it('is a YAML problem at the alias, not a stack overflow', () => {
    const path = file(['allowAnonymous: true', 'providers: &accounts', ...ACCOUNT, '    note: *accounts']);
    expect(problemsOf(path)).toEqual([
      `${path}:8:11: not valid YAML: an alias (*name) inside the very block its anchor (&name) marks makes a value that holds itself: copy what it should repeat, or move the anchor to a block that does not hold the alias: a value that begins with * is read as an alias, ! as a tag, % as a directive: write it in quotes`,
    ]);
  });

  it('does not name the alias: a password begun with * is one', () => {
    const path = file(['allowAnonymous: true', 'x-shared: &Summer2024', '  auth: { token: *Summer2024 }', 'providers:', ...ACCOUNT]);
    const problems = problemsOf(path);
    expect(problems).toHaveLength(1);
    expect(problems[0]).not.toContain('Summer2024');
  });

  it('still takes an alias after its block (guard)', () => {
    const path = file(['allowAnonymous: true', 'x-zone: &zone UTC', 'providers:', ...ACCOUNT.filter((line) => !line.includes('timezone')), '    timezone: *zone']);
    expect(problemsOf(path)).toEqual([]);
  });
});
