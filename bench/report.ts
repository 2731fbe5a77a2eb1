/**
 * The benchmark's results: their shape (bench/results.json), the issue's
 * targets as pass/fail lines, and the printed tables (markdown, so they can
 * go into the README as they are).
 */
import type { LoadResult } from './load.js';
import type { ProfileSummary } from './profile.js';
import type { UpstreamCount } from './sim-control.js';

export interface CpuRun {
  connections: number;
  /** Gateway process CPU (user + system) over the run / dashboard queries answered. */
  msPerQuery: number;
  /** The kernel's share of msPerQuery (socket reads and writes). */
  systemMsPerQuery: number;
  /** The simulators' CPU per query: another process, shown because it shares this machine's cores. */
  simulatorsMsPerQuery: number;
  requestsPerSecond: number;
  requests: number;
  /** Cores kept busy during the run by processes other than the bench's three. */
  otherProcessesCores: number;
}

export interface Results {
  parameters: {
    instancesPerProvider: number;
    providers: string[];
    latencyMs: number;
    seconds: number;
    /** Per-account upstream concurrency cap; 'default' = the shipped default. */
    maxConcurrency: number | 'default';
    answerBytes: number;
    node: string;
    cpus: number;
  };
  upstreamPerQuery: { batched: Record<string, UpstreamCount>; naive: Record<string, UpstreamCount>; warmCache: Record<string, UpstreamCount> };
  latency: { batchedC1: LoadResult; batchedC32: LoadResult; naiveC1: LoadResult };
  /** One run per BENCH_CPU_CONNECTIONS entry; the first is the one the targets use. */
  cpu: { noCache: CpuRun[]; warmCache: CpuRun[] };
  /** bench/floor.ts at L = 0: what this query's upstream calls and its answer cost with bare undici / node:http. */
  floors: {
    upstreamRequests: number;
    /** The query's upstream requests, replayed with bare undici Pools and JSON.parse'd, per query. */
    upstreamMsPerQuery: number;
    /** The query's answer served from memory by node:http with JSON.stringify, per query (c = first CPU run). */
    servingMsPerQuery: number;
    /** The same, the answer made by graphql-jit executing the query over its data in memory (default resolvers). */
    graphqlMsPerQuery: number;
  };
  /** The batched gateway after the c=32 run. */
  memory: { rssMb: number; heapUsedMb: number };
  targets: Target[];
  /** With --profile: where the gateway's CPU goes at L = 0, without and with the cache. */
  profiles: Array<ProfileSummary & { label: string; queries: number; connections: number }>;
}

export interface Target {
  name: string;
  ok: boolean;
  detail: string;
}

export const totalOf = (counts: Record<string, UpstreamCount>): number => Object.values(counts).reduce((sum, count) => sum + count.total, 0);

const first = (runs: CpuRun[]): CpuRun => {
  if (!runs[0]) throw new Error('no CPU run');
  return runs[0];
};

/** The targets (issue 8), computed from one run. */
export function targets(results: Omit<Results, 'targets' | 'profiles'>): Target[] {
  const l = results.parameters.latencyMs;
  const cpu = first(results.cpu.noCache).msPerQuery;
  const cached = first(results.cpu.warmCache).msPerQuery;
  const ratio = totalOf(results.upstreamPerQuery.naive) / totalOf(results.upstreamPerQuery.batched);
  const p50 = results.latency.batchedC1.p50Ms;
  const rps = results.latency.batchedC32.requestsPerSecond;
  const cachedUpstream = totalOf(results.upstreamPerQuery.warmCache);
  const { upstreamMsPerQuery: upstreamFloor, servingMsPerQuery: servingFloor, graphqlMsPerQuery: graphqlFloor, upstreamRequests } = results.floors;
  const floorNoCache = upstreamFloor + servingFloor;
  return [
    { name: 'upstream naive / batched >= 10', ok: ratio >= 10, detail: ratio.toFixed(2) },
    { name: 'p50 at c=1 <= 2L + CPU + 5 ms', ok: p50 <= 2 * l + cpu + 5, detail: `${p50} ms vs ${(2 * l + cpu + 5).toFixed(1)} ms` },
    { name: 'req/s at c=32 >= 80% of 1000 / CPU ms', ok: rps >= 0.8 * (1000 / cpu), detail: `${rps.toFixed(1)} vs ${(0.8 * (1000 / cpu)).toFixed(1)}` },
    {
      name: 'CPU/query without cache <= 15 ms',
      ok: cpu <= 15,
      detail: `${cpu.toFixed(2)} ms; floor ${floorNoCache.toFixed(2)} ms (bare undici + JSON.parse of its ${upstreamRequests} upstream answers ${upstreamFloor.toFixed(2)} ms, bare node:http serving its answer ${servingFloor.toFixed(2)} ms): ${(cpu / floorNoCache).toFixed(1)}x the floor`,
    },
    {
      name: 'CPU/query with warm cache <= 3 ms',
      ok: cached <= 3,
      detail: `${cached.toFixed(2)} ms; floors: bare node:http + JSON.stringify of the same answer ${servingFloor.toFixed(2)} ms (${(cached / servingFloor).toFixed(1)}x), graphql-jit over it in memory ${graphqlFloor.toFixed(2)} ms (${(cached / graphqlFloor).toFixed(1)}x)`,
    },
    { name: 'warm cache: no upstream request per query', ok: cachedUpstream === 0, detail: String(cachedUpstream) },
  ];
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

function upstreamTable({ batched, naive, warmCache }: Results['upstreamPerQuery']): string {
  const ratio = (a: number, b: number) => (b === 0 ? '-' : (a / b).toFixed(1));
  return table(
    ['provider', 'batched', 'naive (batching off)', 'naive / batched', 'warm cache'],
    [
      ...Object.keys(batched).map((kind) => {
        const [b, n] = [batched[kind]?.total ?? 0, naive[kind]?.total ?? 0];
        return [kind, String(b), String(n), ratio(n, b), String(warmCache[kind]?.total ?? 0)];
      }),
      ['**total**', String(totalOf(batched)), String(totalOf(naive)), ratio(totalOf(naive), totalOf(batched)), String(totalOf(warmCache))],
    ],
  );
}

function gatewayTable(results: Results): string {
  const { parameters: p, latency, cpu, memory } = results;
  const lat = (run: LoadResult) => `${run.p50Ms} / ${run.p99Ms} ms, ${run.requestsPerSecond.toFixed(1)} req/s`;
  const cpuRow = (label: string) => (run: CpuRun) => [
    `gateway CPU / query, L=0, ${label}, c=${run.connections}`,
    `${ms(run.msPerQuery)} (kernel ${ms(run.systemMsPerQuery)}; simulators ${ms(run.simulatorsMsPerQuery)}), ${run.requestsPerSecond.toFixed(0)} req/s, other processes ${run.otherProcessesCores.toFixed(2)} cores`,
  ];
  return table(
    ['measure', 'value'],
    [
      [`dashboard, batched, c=1, L=${p.latencyMs} ms: p50 / p99`, lat(latency.batchedC1)],
      [`dashboard, batched, c=32, L=${p.latencyMs} ms: p50 / p99`, lat(latency.batchedC32)],
      [`dashboard, naive, c=1, L=${p.latencyMs} ms: p50 / p99`, lat(latency.naiveC1)],
      ...cpu.noCache.map(cpuRow('no cache')),
      ...cpu.warmCache.map(cpuRow('warm cache')),
      [`floor: the query's ${results.floors.upstreamRequests} upstream requests replayed with bare undici + JSON.parse, L=0`, ms(results.floors.upstreamMsPerQuery)],
      [`floor: the same answer served by bare node:http + JSON.stringify, c=${cpu.noCache[0]?.connections ?? 1}`, ms(results.floors.servingMsPerQuery)],
      [`floor: the same query executed by graphql-jit over that answer in memory + node:http, c=${cpu.noCache[0]?.connections ?? 1}`, ms(results.floors.graphqlMsPerQuery)],
      ['gateway memory after the c=32 run', `RSS ${memory.rssMb.toFixed(0)} MB, V8 heap used ${memory.heapUsedMb.toFixed(0)} MB`],
    ],
  );
}

function profileLines(profile: Results['profiles'][number]): string[] {
  const perQuery = (micros: number) => `${(micros / 1000 / profile.queries).toFixed(2)} ms/query`;
  const list = (spots: ProfileSummary['functions']) => spots.map((spot) => `  ${spot.percent.toFixed(1).padStart(5)}%  ${perQuery(spot.selfMicros).padStart(14)}  ${spot.fn}`);
  return [
    '',
    `Profile of the gateway (L=0, ${profile.label}, c=${profile.connections}; ${profile.file}): ${perQuery(profile.sampledMicros)} on the main thread. Top self time:`,
    ...list(profile.functions),
    '',
    'Charged to the innermost project function on the stack (library calls included):',
    ...list(profile.projectFunctions),
    '',
    'Self time by owner:',
    ...list(profile.owners),
  ];
}

export function render(results: Results): string {
  const p = results.parameters;
  const busy = [...results.cpu.noCache, ...results.cpu.warmCache].some((run) => run.otherProcessesCores > 0.2);
  return [
    `${p.instancesPerProvider} instances x ${p.providers.length} providers (${p.providers.join(', ')}), 4 backups each; ` +
      `answer ${(p.answerBytes / 1024).toFixed(0)} KB; ${p.seconds} s per load run; upstream cap ${p.maxConcurrency} per account; node ${p.node}, ${p.cpus} cores`,
    '',
    'Upstream requests per dashboard query (counted at the simulators):',
    '',
    upstreamTable(results.upstreamPerQuery),
    '',
    gatewayTable(results),
    '',
    ...results.targets.map((target) => `${target.ok ? 'PASS' : 'MISS'}  ${target.name}: ${target.detail}`),
    ...(busy ? ['', 'WARNING: other processes used this machine during the CPU runs; the figures are inflated. Run again on a quiet machine.'] : []),
    ...results.profiles.flatMap(profileLines),
  ].join('\n');
}
