import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { applyV8Settings } from '../../src/v8-settings.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * src/v8-settings.ts as plain JavaScript, for children run without tsx: tsx's
 * module hooks run in an isolate of their own, whose collections (untuned)
 * would mix into what the child prints.
 */
const tuningModule = (() => {
  const file = join(temp.make('v8-settings-'), 'v8-settings.mjs');
  writeFileSync(file, transformSync(readFileSync(join(ROOT, 'src', 'v8-settings.ts'), 'utf8'), { loader: 'ts', format: 'esm' }).code);
  return file;
})();

/**
 * A child under `npm start`'s young generation that keeps ~20 MB alive and
 * churns through batches of objects that live long enough to be promoted.
 */
function churn(tune: boolean, rounds: number, report: string): string {
  const script = `
    ${tune ? `(await import(${JSON.stringify(tuningModule)})).applyV8Settings([]);` : ''}
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

describe('applyV8Settings', () => {
  it('keeps the heap of a churning process well below what V8 grows to by itself', () => {
    const largestHeap = (tune: boolean) => Number(churn(tune, 400, 'peak').trim());
    const unlimited = largestHeap(false);
    expect(largestHeap(true)).toBeLessThan(unlimited * 0.7);
  }, 120_000);

  it('leaves a flag given to node alone, in either spelling', () => {
    expect(applyV8Settings(['--max-semi-space-size=4', '--heap-growing-percent=20', '--no-liftoff-only'])).toEqual(['--max-bytecode-size-for-early-opt=0']);
    expect(applyV8Settings(['--heap_growing_percent=20', '--liftoff_only'])).toEqual(['--max-bytecode-size-for-early-opt=0']);
    expect(applyV8Settings(['--noliftoff-only'])).toEqual(['--heap-growing-percent=35', '--max-bytecode-size-for-early-opt=0']);
    expect(applyV8Settings(['--no-liftoff'])).toEqual(['--heap-growing-percent=35', '--max-bytecode-size-for-early-opt=0']);
    expect(applyV8Settings(['--max-semi-space-size=4'])).toEqual(['--heap-growing-percent=35', '--liftoff-only', '--max-bytecode-size-for-early-opt=0']);
    expect(applyV8Settings(['--max_bytecode_size_for_early_opt=81'])).toEqual(['--heap-growing-percent=35', '--liftoff-only']);
  });

  it('does not send an arrow made per call to TurboFan again on its first tick after each full collection', () => {
    // The arrow's optimized code dies with its last closure at each gc(); V8 compiled the next one at once
    // ("small function"), 29 TurboFan jobs over the 30 rounds. Compiled on the main thread so the count holds still.
    const script = `
      (await import(${JSON.stringify(tuningModule)})).applyV8Settings([]);
      const rows = Array.from({ length: 400 }, (_, id) => ({ id, deleted: id % 7 === 0 }));
      const listed = (account) => rows.filter((row) => !row.deleted && row.id !== account).length;
      let kept = 0;
      for (let round = 0; round < 30; round++) {
        for (let request = 0; request < 5; request++) kept += listed(round);
        globalThis.gc();
      }
      console.log(kept);`;
    const result = spawnSync(process.execPath, ['--expose-gc', '--trace-opt', '--no-concurrent-recompilation', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(result.stderr);
    const turboFanJobs = result.stdout.split('\n').filter((line) => line.startsWith('[compiling method') && line.includes('TURBOFAN')).length;
    expect(turboFanJobs).toBeLessThan(10);
  });

  it('compiles undici\'s HTTP parser (WebAssembly) without a burst of compiler memory on the first upstream request', () => {
    // V8's TurboFan took 36 MiB for it at once (RSS 98 -> 140 MiB on the first dashboard); Liftoff takes ~1.
    const script = `
      import v8 from 'node:v8';
      import { createServer } from 'node:http';
      (await import(${JSON.stringify(tuningModule)})).applyV8Settings([]);
      const { Pool } = await import('undici');
      const server = createServer((request, response) => response.end('{}')).listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const before = v8.getHeapStatistics().peak_malloced_memory;
      const pool = new Pool('http://127.0.0.1:' + server.address().port);
      // V8 compiles it in the background within ~100 ms of the first request: keep the parser busy well past that.
      const until = Date.now() + 600;
      while (Date.now() < until) await (await pool.request({ path: '/', method: 'GET' })).body.text();
      console.log(v8.getHeapStatistics().peak_malloced_memory - before);
      await pool.close();
      server.close();`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(result.stderr);
    expect(Number(result.stdout.trim()) / 1024 / 1024).toBeLessThan(8);
  });
});
