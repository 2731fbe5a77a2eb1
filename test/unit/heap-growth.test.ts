import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { tuneGarbageCollection } from '../../src/heap-growth.js';

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * src/heap-growth.ts as plain JavaScript, for children run without tsx: tsx's
 * module hooks run in an isolate of their own, whose collections (untuned)
 * would mix into what the child prints.
 */
const tuningModule = (() => {
  const file = join(mkdtempSync(join(tmpdir(), 'gc-tuning-')), 'heap-growth.mjs');
  writeFileSync(file, transformSync(readFileSync(join(ROOT, 'src', 'heap-growth.ts'), 'utf8'), { loader: 'ts', format: 'esm' }).code);
  return file;
})();

/**
 * A child under `npm start`'s young generation that keeps ~20 MB alive and
 * churns through batches of objects that live long enough to be promoted.
 */
function churn(tune: boolean, rounds: number, report: string): string {
  const script = `
    ${tune ? `(await import(${JSON.stringify(tuningModule)})).tuneGarbageCollection([]);` : ''}
    const live = Array.from({ length: 200_000 }, (_, i) => ({ i, s: 'x'.repeat(20) + i }));
    let peak = 0;
    const batches = [];
    for (let round = 0; round < ${rounds}; round++) {
      batches.push(Array.from({ length: 20_000 }, (_, i) => ({ round, i, t: 'y' + i })));
      if (batches.length > 10) batches.shift();
      peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    console.log(live.length && ${report});`;
  const result = spawnSync(process.execPath, ['--max-semi-space-size=4', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

describe('tuneGarbageCollection', () => {
  it('keeps the heap of a churning process well below what V8 grows to by itself', () => {
    const largestHeap = (tune: boolean) => Number(churn(tune, 400, 'peak').trim());
    const unlimited = largestHeap(false);
    expect(largestHeap(true)).toBeLessThan(unlimited * 0.7);
  }, 120_000);

  it('leaves a flag given to node alone, in either spelling', () => {
    expect(tuneGarbageCollection(['--max-semi-space-size=4', '--heap-growing-percent=20'])).toEqual([]);
    expect(tuneGarbageCollection(['--heap_growing_percent=20'])).toEqual([]);
    expect(tuneGarbageCollection(['--max-semi-space-size=4'])).toEqual(['--heap-growing-percent=35']);
  });
});
