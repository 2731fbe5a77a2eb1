/**
 * The benchmark's knobs, read once from the environment so every bench
 * module agrees on them.
 */
import { DASHBOARD_QUERY } from '../src/server/graphiql.js';

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
