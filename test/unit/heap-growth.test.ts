import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from '../../src/heap-growth.js';

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * A child that keeps ~20 MB alive and churns through 400 batches of objects
 * that live long enough to be promoted, then prints the largest heap V8 took.
 */
const churn = (limit: boolean): number => {
  const script = `
    ${limit ? "(await import('./src/heap-growth.ts')).limitHeapGrowth([]);" : ''}
    const live = Array.from({ length: 200_000 }, (_, i) => ({ i, s: 'x'.repeat(20) + i }));
    let peak = 0;
    const batches = [];
    for (let round = 0; round < 400; round++) {
      batches.push(Array.from({ length: 20_000 }, (_, i) => ({ round, i, t: 'y' + i })));
      if (batches.length > 10) batches.shift();
      peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    console.log(live.length && peak);`;
  const result = spawnSync(process.execPath, ['--max-semi-space-size=4', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(result.stderr);
  return Number(result.stdout.trim());
};

describe('limitHeapGrowth', () => {
  it('keeps the heap of a churning process well below what V8 grows to by itself', () => {
    const unlimited = churn(false);
    const limited = churn(true);
    expect(limited).toBeLessThan(unlimited * 0.7);
  }, 120_000);

  it('leaves a --heap-growing-percent given to node alone', () => {
    expect(limitHeapGrowth(['--max-semi-space-size=4', '--heap-growing-percent=20'])).toBe(false);
    expect(limitHeapGrowth(['--heap_growing_percent=20'])).toBe(false);
  });
});
