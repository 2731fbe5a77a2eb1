import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_CONFIG_NESTING, TOO_DEEP } from '../../src/config/yaml-depth.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { ensureBuilt, ROOT, shellEnv } from './process.js';

/**
 * A config with `[[[[...` nested 100,000 deep (a pasted runaway, a generator's bug) was refused
 * with "Maximum call stack size exceeded" as its reason: YAML's composer recursing once a level,
 * at a column that moved with the stack. The loader now says it in its own words, at the first
 * list or mapping past the limit, still exit 2 and one line, for `--check-config` and the start.
 */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const DEEP = 100_000;
const ACCOUNT = '  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", timezone: UTC, auth: { token: zomro-token-0000 } }\n';

const configFile = (name: string, text: string): string => {
  const path = join(temp.make('bg-config-deep-'), name);
  writeFileSync(path, text);
  return path;
};

/** `depth` block lists, each indented one further than the one above, under `providers`. */
const blockLists = (depth: number): string => {
  let text = 'allowAnonymous: true\nproviders:\n';
  for (let level = 1; level <= depth; level++) text += `${' '.repeat(level)}-${level === depth ? ' x' : ''}\n`;
  return text;
};

const run = (args: readonly string[]) => {
  ensureBuilt();
  const result = spawnSync(process.execPath, ['dist/main.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: shellEnv({ PORT: '0' }) });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
};

describe('a config nested too deep is refused in the loader\'s words', () => {
  // Columns: the top mapping is the first level, so the 64th `[` (or `{a: `) is the first past the limit.
  const cases: ReadonlyArray<{ kind: string; name: string; text: string; at: string }> = [
    { kind: '[ flows', name: 'flow-lists.yaml', text: `allowAnonymous: true\nproviders: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`, at: `2:${12 + MAX_CONFIG_NESTING - 1}` },
    { kind: '{ flows', name: 'flow-maps.yaml', text: `allowAnonymous: true\nproviders: ${'{a: '.repeat(DEEP)}1${'}'.repeat(DEEP)}\n`, at: `2:${12 + 4 * (MAX_CONFIG_NESTING - 1)}` },
    { kind: 'JSON', name: 'deep.json', text: `{"allowAnonymous": true, "providers": ${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`, at: `1:${39 + MAX_CONFIG_NESTING - 1}` },
    { kind: 'indented block lists', name: 'block-lists.yaml', text: blockLists(5_000), at: `${2 + MAX_CONFIG_NESTING}:${MAX_CONFIG_NESTING + 1}` },
  ];

  for (const { kind, name, text, at } of cases) {
    it(`${kind}: --check-config and the start exit 2 with one line, at the first level past ${MAX_CONFIG_NESTING}`, () => {
      const path = configFile(name, text);
      const expected = `${path}:${at}: not valid YAML: ${TOO_DEEP}\n`;
      for (const args of [['--check-config', path], ['--config', path]]) {
        const result = run(args);
        expect(result.status, args[0]).toBe(2);
        expect(result.stderr, args[0]).toBe(expected);
        expect(result.stderr + result.stdout).not.toContain('call stack');
      }
    }, 120_000);
  }

  it(`says it: nested deeper than ${MAX_CONFIG_NESTING} levels, and what to look for`, () => {
    expect(TOO_DEEP).toBe(`lists and mappings are nested deeper than ${MAX_CONFIG_NESTING} levels here (by [ and { or by indenting), where a config needs six at most: look for a [ or { left unclosed`);
  });

  it(`${MAX_CONFIG_NESTING} levels are taken (guard)`, () => {
    // The top mapping and `providers`' list are two of the levels.
    const path = configFile('deep-enough.yaml', `allowAnonymous: true\nproviders:\n${ACCOUNT}x-deep: ${'['.repeat(MAX_CONFIG_NESTING - 1)}${']'.repeat(MAX_CONFIG_NESTING - 1)}\n`);
    const result = run(['--check-config', path]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);
});
