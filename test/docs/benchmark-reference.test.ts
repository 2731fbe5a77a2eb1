import { readFileSync } from 'node:fs';
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
});
