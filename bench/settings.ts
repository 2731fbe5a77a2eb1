/**
 * The benchmark's knobs, read once from the environment so every bench
 * module agrees on them.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DASHBOARD_QUERY } from '../src/server/graphiql.js';

const ROOT = join(import.meta.dirname, '..');

/** A gateway build the bench measures: compiled JavaScript (a dist/ directory) or the TypeScript sources under tsx. */
export interface Build {
  label: string;
  /** Directory holding config/load.js, server/app.js, ... (dist/ or src/). */
  root: string;
}

/**
 * BENCH_BUILD: `dist` (default: the compiled build, as \`npm start\` runs it),
 * `src` (the sources under tsx) or a path to another dist/. BENCH_BASELINE:
 * a second build (e.g. the previous commit's dist/, see docs/benchmark.md) measured
 * back to back with the first in the same run, each step once per build.
 */
export function benchBuilds(): Build[] {
  const pick = (value: string, label: string): Build => {
    const given = value === 'src' ? join(ROOT, 'src') : value === 'dist' ? join(ROOT, 'dist') : resolve(value);
    // A bundled dist/ exports no modules: bench/build-modules.mjs bundles the ones the bench drives beside it.
    const root = existsSync(join(given, 'bench-modules')) ? join(given, 'bench-modules') : given;
    if (!existsSync(join(root, 'server', root.endsWith('src') ? 'app.ts' : 'app.js'))) throw new Error(`${label}: no gateway build at ${root} (npm run build && node bench/build-modules.mjs?)`);
    return { label, root };
  };
  const current = pick(process.env.BENCH_BUILD || 'dist', 'this build');
  const baseline = process.env.BENCH_BASELINE;
  return baseline ? [pick(baseline, 'baseline'), current] : [current];
}

/** BENCH_KINDS for the simulators' process: which providers to simulate ('' = every kind). */
function kinds(): string[] {
  return (process.env.BENCH_KINDS ?? '').split(',').filter(Boolean);
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0, got ${raw}`);
  return value;
}

export const settings = {
  /** Instances per provider. */
  instances: positive('BENCH_N', 50),
  /** Upstream latency every simulator adds to each answer. */
  latencyMs: positive('BENCH_LATENCY_MS', 20),
  /** Length of each autocannon run. */
  seconds: positive('BENCH_SECONDS', 10),
  /**
   * Per-account upstream concurrency cap of the gateways under test. 256 lets
   * one round of per-instance calls (OnApp: 3 x N) go out at once, which the
   * latency target assumes; 0 keeps the shipped default (16), what a default
   * config gets.
   */
  maxConcurrency: positive('BENCH_MAX_CONCURRENCY', 256),
  /**
   * Connections of the CPU-per-query runs at L = 0. The first (1: the cost of
   * one query, nothing else in flight) is the one checked against the
   * targets; the others show what concurrency adds (mostly GC of a larger
   * live heap).
   */
  cpuConnections: (process.env.BENCH_CPU_CONNECTIONS ?? '1,8').split(',').map((item) => {
    const value = Number(item);
    if (!Number.isInteger(value) || value < 1) throw new Error(`BENCH_CPU_CONNECTIONS must list integers >= 1, got ${item}`);
    return value;
  }),
  profile: process.argv.includes('--profile'),
  /** Client counts of the latency runs at L in the four-provider configuration. */
  loadConnections: [1, 16, 32],
  /**
   * The two-provider configuration of issue 14 (OnApp + Danube, N = 20,
   * L = 5 ms, 1 and 16 clients), the one compared with a generic gateway.
   */
  two: {
    kinds: ['onapp', 'danube'],
    instances: positive('BENCH_TWO_N', 20),
    latencyMs: positive('BENCH_TWO_LATENCY_MS', 5),
    connections: [1, 16],
  },
  kinds: kinds(),
};

/**
 * The README's dashboard query, verbatim, except that its page must hold
 * every instance (with 4 providers and N = 50 it does; a larger BENCH_N
 * would otherwise measure a truncated page).
 */
export function dashboardBody(totalInstances: number): string {
  const pageSize = Math.max(500, totalInstances);
  return JSON.stringify({ query: DASHBOARD_QUERY.replace('instances(first: 500)', `instances(first: ${pageSize})`) });
}
