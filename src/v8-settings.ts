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
 * within run-to-run noise.
 */
export const HEAP_GROWING_PERCENT = 35;

/**
 * The V8 settings serving applies at start, each unless node was given that
 * flag itself (a value given to node wins). Set at run time because node
 * refuses them in NODE_OPTIONS, so that `node dist/main.js` (the container,
 * the topology tests) gets them as well.
 *
 * - `--heap-growing-percent=35`: see HEAP_GROWING_PERCENT.
 * - `--liftoff-only`: undici parses HTTP with llhttp compiled to
 *   WebAssembly, on the first upstream connection. V8 compiled it with
 *   TurboFan, whose compiler memory peaked at 36 MiB for a moment: the
 *   gateway's RSS went from 98 to 140 MiB on its first dashboard, more than
 *   it took afterwards under load. Liftoff (V8's baseline WebAssembly
 *   compiler) needs 1 MiB for it; CPU per uncached dashboard the same within
 *   noise (four alternating rounds: 104-114 against 107-115 ms).
 * - `--max-bytecode-size-for-early-opt=0`: V8 hands a function of under 81
 *   bytes of bytecode to TurboFan on its first profiler tick ("small
 *   function"). Arrows made per call (`rows.filter((row) => ...)`, the
 *   mappers' `(row) => mapBackup(...)`, graphql-jit's per-item callbacks)
 *   are such functions, and their optimized code dies with the last arrow:
 *   the feedback vector holds it weakly, so each full collection (about one
 *   every two uncached dashboards) drops it and the next request's arrows
 *   are compiled again, 8-9 TurboFan jobs a dashboard after warm-up, two
 *   thirds of them "small function". At 0 they wait for V8's ordinary
 *   hotness ticks: 4.2 jobs a dashboard, and under callgrind an uncached
 *   dashboard took fewer instructions in each of six sittings, 1.6 to
 *   12.1 % (median 7 %: 498 -> 443 M; TurboFan and the parser 27-59 M fewer
 *   each time, part of it paid back as `LoadIC` from code run longer
 *   before TurboFan has it, up to 8 M). The 16-client peak of
 *   `npm run bench:memory` did not rise (142-157 against 150-154 MiB).
 *
 * Weighed and left out, `--no-concurrent-marking`: marking the old
 * generation on the main thread only cost ~14% less CPU per uncached
 * dashboard on two cores (110 against 128 ms, median of three), but marking
 * then takes longer in wall time while the heap keeps growing: the peak under
 * 16 concurrent dashboards (`npm run bench:memory`) rose from 145-146 to
 * 151-155 MiB, over the 150 MiB the gateway is sized for.
 *
 * One setting cannot be made here: V8 sizes the heap when node starts it. So
 * `npm start` (and the container's and Kubernetes' command) also passes
 * `--initial-old-space-size=32`. Until its first full collection V8 lets the
 * old generation grow to a limit of its own choosing; the gateway's first
 * came only at 78 MiB of old space, in the first seconds of serving one
 * client at a time, and RSS peaked at 172-182 MiB there (half of the bench's runs), above
 * what 16 clients at once take. At 32 MiB the first collection comes during
 * the first dashboards: the same load peaked at 124-128 MiB, and CPU per
 * uncached dashboard did not move.
 */
export const V8_SETTINGS = [
  { flag: `--heap-growing-percent=${HEAP_GROWING_PERCENT}`, givenAs: /^--heap[-_]growing[-_]percent\b/ },
  // Any Liftoff flag given to node (--liftoff-only, --no-liftoff, --noliftoff-only...) is left to stand.
  { flag: '--liftoff-only', givenAs: /^--(no[-_]?)?liftoff($|[-_=])/ },
  { flag: '--max-bytecode-size-for-early-opt=0', givenAs: /^--max[-_]bytecode[-_]size[-_]for[-_]early[-_]opt\b/ },
] as const;

/** Applies V8_SETTINGS not already given to node; returns the flags it applied. */
export function applyV8Settings(execArgv: readonly string[]): string[] {
  const applied: string[] = [];
  for (const { flag, givenAs } of V8_SETTINGS) {
    if (execArgv.some((argument) => givenAs.test(argument))) continue;
    setFlagsFromString(flag);
    applied.push(flag);
  }
  return applied;
}
