import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full
 * GC before it collects again, in percent. V8 picks up to 300% when
 * collecting is cheap, which it is here (the live heap is ~35 MB): under 16
 * concurrent dashboards the heap then reached 100 MB of mostly dead answers
 * and RSS 240 MiB. At 50% the peak stays under 150 MiB for a few percent more
 * CPU. Set at run time because node refuses the flag in NODE_OPTIONS, so that
 * `node dist/main.js` (the container, the topology tests) gets it as well.
 */
export const HEAP_GROWING_PERCENT = 50;

/** Applies HEAP_GROWING_PERCENT unless node was given --heap-growing-percent itself; true when it did. */
export function limitHeapGrowth(execArgv: readonly string[]): boolean {
  if (execArgv.some((argument) => /^--heap[-_]growing[-_]percent\b/.test(argument))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
