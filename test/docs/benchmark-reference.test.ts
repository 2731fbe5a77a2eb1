import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README's "Benchmark" sends the reader to docs/benchmark.md for what the bench runs, its
 * knobs and each bench script it names there. On 2026-12-07 those sections were swept into
 * docs/benchmark-history.md with an old session's run, between two runs' tables, and a
 * newcomer looking for `bench:ab`'s or `bench:list-order`'s knobs found none where the README said.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The README's sentence that points at docs/benchmark.md for the bench's reference. */
function referenceSentence(): string {
  const found = /What the bench runs \([^)]*\),.*?\): `docs\/benchmark\.md`\./.exec(read('README.md').replace(/\s+/g, ' '));
  expect(found, 'the README\'s "What the bench runs ...: `docs/benchmark.md`." sentence').not.toBeNull();
  return found![0];
}

describe('docs/benchmark.md holds the bench reference the README points at', () => {
  it('has "What the bench runs", with its knobs', () => {
    const doc = read('docs/benchmark.md');
    expect(doc).toMatch(/^## What the bench runs$/m);
    expect(doc).toContain('Knobs: `BENCH_N`');
  });

  it('names each bench script the README sends there', () => {
    const scripts = [...referenceSentence().matchAll(/`(bench:[a-z-]+)`|`npm run (soak)`/g)].map((match) => match[1] ?? match[2]!);
    expect(scripts.length).toBeGreaterThan(4);
    const doc = read('docs/benchmark.md').replace(/\s+/g, ' ');
    const missing = scripts.filter((script) => !doc.includes(`npm run ${script}`));
    expect(missing).toEqual([]);
  });

  it('names every variable a bench script reads (bench:list-order\'s LIST_INSTANCES, LIST_ROUNDS and LIST_RUNS were only in its source)', () => {
    const read = readBenchVariables();
    expect(read.size).toBeGreaterThan(30);
    const doc = readFileSync(join(ROOT, 'docs/benchmark.md'), 'utf8');
    expect([...read].filter((name) => !new RegExp(`\\b${name}\\b`).test(doc)).sort()).toEqual([]);
  });
});

/** What the bench sets for its own child processes, never a reader's knob. */
const SET_BY_THE_BENCH = new Set(['BENCH_GATEWAY', 'BENCH_KINDS']);

/**
 * The variables read by the files an npm script runs from bench/, and by the bench/ files they
 * import or start as a child (named as 'x.ts'), but those the bench sets for its children.
 */
function readBenchVariables(): Set<string> {
  const scripts = Object.values((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
  const pending = scripts.flatMap((script) => [...script.matchAll(/\bbench\/([\w-]+\.(?:ts|mjs))\b/g)].map(([, file]) => file!));
  const seen = new Set<string>();
  const variables = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file) || !existsSync(join(ROOT, 'bench', file))) continue;
    seen.add(file);
    const source = read(`bench/${file}`);
    for (const [, imported] of source.matchAll(/'\.\/([\w-]+)\.js'/g)) pending.push(`${imported}.ts`);
    for (const [, started] of source.matchAll(/'([\w-]+\.(?:ts|mjs))'/g)) pending.push(started!);
    for (const [, viaEnv, viaCount] of source.matchAll(/process\.env\.([A-Z][A-Z0-9_]+)|\b(?:positiveCount|positive)\('([A-Z][A-Z0-9_]+)'/g)) variables.add((viaEnv ?? viaCount)!);
  }
  return new Set([...variables].filter((name) => !SET_BY_THE_BENCH.has(name)));
}
