import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full
 * GC before it collects again, in percent. V8 picks up to 300% when
 * collecting is cheap, which it is here (the live heap is ~35 MB): under 16
 * concurrent dashboards the heap then reached 100 MB of mostly dead answers
 * and RSS 240 MiB. At 50% the peak of 16 dashboards arriving at once still
 * overshot: 147-178 MiB over twelve runs of the bench's two-provider load,
 * because V8 marks concurrently for 40-110 ms while 16 dashboards promote
 * several MiB each. At 35% marking starts earlier: 140-151 MiB over ten
 * runs. The collector's own share barely moves (0.45 mark-compacts per
 * uncached dashboard against 0.34; 0.23-0.25 ms of mark-compact pause per
 * query at 16 clients against 0.18-0.23); whole-process CPU differences were
 * within run-to-run noise. Set at run time because node refuses the flag in
 * NODE_OPTIONS, so that `node dist/main.js` (the
 * container, the topology tests) gets it as well.
 */
export const HEAP_GROWING_PERCENT = 35;

/**
 * The V8 settings serving applies at start, each unless node was given that
 * flag itself (a value given to node wins): `--heap-growing-percent=35`.
 *
 * Weighed and left out, `--no-concurrent-marking`: marking the old
 * generation on the main thread only cost ~14% less CPU per uncached
 * dashboard on two cores (110 against 128 ms, median of three), but marking
 * then takes longer in wall time while the heap keeps growing: the peak under
 * 16 concurrent dashboards (`npm run bench:memory`) rose from 145-146 to
 * 151-155 MiB, over the 150 MiB the gateway is sized for.
 */
export const GC_FLAGS = [{ flag: `--heap-growing-percent=${HEAP_GROWING_PERCENT}`, givenAs: /^--heap[-_]growing[-_]percent\b/ }] as const;

/** Applies GC_FLAGS not already given to node; returns the flags it applied. */
export function tuneGarbageCollection(execArgv: readonly string[]): string[] {
  const applied: string[] = [];
  for (const { flag, givenAs } of GC_FLAGS) {
    if (execArgv.some((argument) => givenAs.test(argument))) continue;
    setFlagsFromString(flag);
    applied.push(flag);
  }
  return applied;
}
