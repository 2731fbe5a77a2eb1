/**
 * The benchmark's results: their shape (bench/results.json), the issues'
 * targets as pass/fail lines, and the printed tables (markdown, so they can
 * go into docs/benchmark.md, "The latest run", as they are). With a baseline build, every figure is
 * shown for both builds, measured back to back, and their ratio.
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
  /** The gateway's garbage-collection pauses over the run / queries: young-generation scavenges and full mark-compacts. */
  gc: { minorPerQuery: number; minorMsPerQuery: number; majorPerQuery: number; majorMsPerQuery: number };
}

/** A load run at the simulators' latency, with the gateway's CPU and the upstream requests it caused. */
export interface LoadRow extends LoadResult {
  cpuMsPerQuery: number;
  /** Counted at the simulators over the run / dashboard queries answered. */
  upstreamPerQuery: number;
  /** Dashboards answered per round of reads (bench/read-rounds.ts): how many shared each flight, set by the clients' phases. */
  queriesPerRound: number;
  /** Upstream calls per round of reads: about one dashboard's alone when every read of a round shares its flight. */
  upstreamPerRound: number;
}

export interface MemoryResults {
  /** RSS right after the last load run. */
  rssMb: number;
  /** Peak RSS of the gateway process over its life (warm-up and every run). */
  maxRssMb: number;
  /** After a full garbage collection. */
  rssAfterGcMb: number;
  heapAfterGcMb: number;
}

/** bench/floor.ts at L = 0: what this query's upstream calls and its answer cost with bare undici / node:http. */
export interface FloorResults {
  upstreamRequests: number;
  /** The query's upstream requests, replayed with bare undici Pools and JSON.parse'd, per query. */
  upstreamMsPerQuery: number;
  /** The query's answer served from memory by node:http with JSON.stringify, per query (c = first CPU run). */
  servingMsPerQuery: number;
  /** The same, the answer made by graphql-jit executing the query over its data in memory (default resolvers). */
  graphqlMsPerQuery: number;
  /** The same graphql-jit execution behind Apollo Server 5 on express 5, set up as the gateway's. */
  apolloMsPerQuery: number;
  /** Every run of the three serving floors (each floor is the least of its runs). */
  servingRuns: number[];
  graphqlRuns: number[];
  apolloRuns: number[];
}

/** Everything measured for one build of the gateway. */
export interface BuildResults {
  build: string;
  root: string;
  four: {
    latencyMs: number;
    upstreamPerQuery: { batched: Record<string, UpstreamCount>; naive: Record<string, UpstreamCount>; warmCache: Record<string, UpstreamCount> };
    /** One row per settings.loadConnections entry (1, 16, 32), at latency L. */
    load: LoadRow[];
    naiveC1: LoadResult;
    /** One run per BENCH_CPU_CONNECTIONS entry at L = 0; the first is the one the targets use. */
    cpu: { noCache: CpuRun[]; warmCache: CpuRun[] };
    /** After the c=32 run. */
    memory: MemoryResults;
  };
  two: {
    latencyMs: number;
    upstreamPerQuery: Record<string, UpstreamCount>;
    /** c = 1 and 16 at the two-provider latency. */
    load: LoadRow[];
    /** After the c=16 run. */
    memory: MemoryResults;
  };
  targets: Target[];
}

export interface Results {
  parameters: {
    instancesPerProvider: number;
    providers: string[];
    latencyMs: number;
    /** Client counts of the four-provider load runs at L. */
    loadConnections: number[];
    two: { instancesPerProvider: number; providers: string[]; latencyMs: number; connections: number[] };
    seconds: number;
    /** Per-account upstream concurrency cap; 'default' = the shipped default. */
    maxConcurrency: number | 'default';
    answerBytes: number;
    node: string;
    cpus: number;
  };
  floors: FloorResults;
  builds: BuildResults[];
  /** With --profile: where the gateway's CPU goes at L = 0, without and with the cache. */
  profiles: Array<ProfileSummary & { label: string; queries: number; connections: number }>;
}

export interface Target {
  name: string;
  ok: boolean;
  detail: string;
}

export const totalOf = (counts: Record<string, UpstreamCount>): number => Object.values(counts).reduce((sum, count) => sum + count.total, 0);

function pick<T extends { connections: number }>(runs: readonly T[], connections?: number): T {
  const run = connections === undefined ? runs[0] : runs.find((item) => item.connections === connections);
  if (!run) throw new Error(`no run with ${connections ?? 'any'} connections`);
  return run;
}

/** The issues' targets (8 and 14), computed from one run. */
export function targets(results: Omit<BuildResults, 'targets'>, floors: FloorResults): Target[] {
  const { four, two } = results;
  const cpu = pick(four.cpu.noCache).msPerQuery;
  const cached = pick(four.cpu.warmCache).msPerQuery;
  const ratio = totalOf(four.upstreamPerQuery.naive) / totalOf(four.upstreamPerQuery.batched);
  const cachedUpstream = totalOf(four.upstreamPerQuery.warmCache);
  const { upstreamMsPerQuery: upstreamFloor, servingMsPerQuery: servingFloor, graphqlMsPerQuery: graphqlFloor, apolloMsPerQuery: apolloFloor, upstreamRequests } = floors;
  const floorNoCache = upstreamFloor + servingFloor;
  const latencyTarget = (label: string, row: LoadRow, l: number): Target => {
    const limit = 2 * l + row.cpuMsPerQuery + 2;
    return { name: `p50 at c=1 <= 2L + CPU + 2 ms, ${label}`, ok: row.p50Ms <= limit, detail: `${row.p50Ms} ms vs ${limit.toFixed(1)} ms (L=${l} ms, CPU ${row.cpuMsPerQuery.toFixed(1)} ms)` };
  };
  const c32 = pick(four.load, 32);
  const twoC16 = pick(two.load, 16);
  return [
    {
      name: 'CPU per uncached dashboard <= 1.3x the floor',
      ok: cpu <= 1.3 * floorNoCache,
      detail: `${cpu.toFixed(2)} ms vs floor ${floorNoCache.toFixed(2)} ms (bare undici + JSON.parse of its ${upstreamRequests} upstream answers ${upstreamFloor.toFixed(2)} ms, bare node:http serving its answer ${servingFloor.toFixed(2)} ms): ${(cpu / floorNoCache).toFixed(2)}x`,
    },
    {
      name: 'warm-cache dashboard <= 1.5x the graphql-jit floor',
      ok: cached <= 1.5 * graphqlFloor,
      detail: `${cached.toFixed(2)} ms vs graphql-jit over the answer in memory ${graphqlFloor.toFixed(2)} ms: ${(cached / graphqlFloor).toFixed(2)}x (bare node:http + JSON.stringify ${servingFloor.toFixed(2)} ms: ${(cached / servingFloor).toFixed(2)}x; the same graphql-jit behind Apollo Server on express ${apolloFloor.toFixed(2)} ms, itself ${(apolloFloor / graphqlFloor).toFixed(2)}x the graphql-jit floor: ${(cached / apolloFloor).toFixed(2)}x)`,
    },
    latencyTarget('four providers', pick(four.load, 1), four.latencyMs),
    latencyTarget('two providers', pick(two.load, 1), two.latencyMs),
    { name: 'RSS <= 150 MiB at 16 clients, two providers', ok: two.memory.maxRssMb <= 150, detail: `peak ${two.memory.maxRssMb.toFixed(0)} MiB (after the c=16 run ${two.memory.rssMb.toFixed(0)} MiB)` },
    { name: 'RSS <= 250 MiB after N=50 c=32, four providers', ok: four.memory.rssMb <= 250, detail: `${four.memory.rssMb.toFixed(0)} MiB (peak ${four.memory.maxRssMb.toFixed(0)} MiB)` },
    { name: 'upstream naive / batched >= 10 (issue 8)', ok: ratio >= 10, detail: ratio.toFixed(2) },
    { name: 'req/s at c=32 >= 80% of 1000 / CPU ms (issue 8)', ok: c32.requestsPerSecond >= 0.8 * (1000 / cpu), detail: `${c32.requestsPerSecond.toFixed(1)} vs ${(0.8 * (1000 / cpu)).toFixed(1)}` },
    { name: 'warm cache: no upstream request per query', ok: cachedUpstream === 0, detail: String(cachedUpstream) },
  ];
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

function upstreamTable({ batched, naive, warmCache }: BuildResults['four']['upstreamPerQuery']): string {
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

/** A figure per build; with two builds, the ratio this / baseline (lower is better for all but req/s). */
interface Figure {
  name: string;
  values: number[];
  format: (value: number) => string;
  /** Shown after a slash in the same cell (p99 beside p50); the ratio is of `values`. */
  also?: number[];
  /** Shown in brackets after the value, per build. */
  detail?: string[];
}

/** Main-thread GC pause per query, and how it splits. */
const gcMs = (run: CpuRun | undefined): number => (run ? run.gc.minorMsPerQuery + run.gc.majorMsPerQuery : Number.NaN);
const gcDetail = (run: CpuRun | undefined): string =>
  run ? `${run.gc.minorPerQuery.toFixed(1)} scavenges ${run.gc.minorMsPerQuery.toFixed(1)} ms, ${run.gc.majorPerQuery.toFixed(2)} mark-compacts ${run.gc.majorMsPerQuery.toFixed(1)} ms` : '-';

function figures(results: Results): Figure[] {
  const { parameters: p, builds } = results;
  const each = (get: (build: BuildResults) => number) => builds.map(get);
  const f1 = (value: number) => value.toFixed(1);
  const f0 = (value: number) => value.toFixed(0);
  const loadFigures = (label: string, get: (build: BuildResults) => LoadRow[], connections: number[]): Figure[] =>
    connections.flatMap((c) => {
      const row = (build: BuildResults) => pick(get(build), c);
      return [
        { name: `${label}, c=${c}: req/s`, values: each((b) => row(b).requestsPerSecond), format: f1 },
        { name: `${label}, c=${c}: p50 / p99 (ms)`, values: each((b) => row(b).p50Ms), also: each((b) => row(b).p99Ms), format: f0 },
        { name: `${label}, c=${c}: gateway CPU / query`, values: each((b) => row(b).cpuMsPerQuery), format: ms },
        { name: `${label}, c=${c}: upstream calls / query`, values: each((b) => row(b).upstreamPerQuery), format: f1 },
        ...(c > 1
          ? [
              {
                name: `${label}, c=${c}: dashboards sharing a round of reads (upstream calls / round)`,
                values: each((b) => row(b).queriesPerRound),
                detail: builds.map((b) => `${row(b).upstreamPerRound.toFixed(1)} calls`),
                format: f1,
              },
            ]
          : []),
      ];
    });
  const memoryFigures = (label: string, get: (build: BuildResults) => MemoryResults): Figure[] => [
    { name: `${label}: RSS (MiB) after the last run`, values: each((b) => get(b).rssMb), format: f0 },
    { name: `${label}: peak RSS (MiB)`, values: each((b) => get(b).maxRssMb), format: f0 },
    { name: `${label}: RSS after GC (MiB)`, values: each((b) => get(b).rssAfterGcMb), format: f0 },
    { name: `${label}: V8 heap after GC (MiB)`, values: each((b) => get(b).heapAfterGcMb), format: f0 },
  ];
  const four = `four providers, N=${p.instancesPerProvider}, L=${p.latencyMs} ms`;
  const two = `two providers, N=${p.two.instancesPerProvider}, L=${p.two.latencyMs} ms`;
  const cpuFigures = (label: string, get: (build: BuildResults) => CpuRun[]): Figure[] =>
    (builds[0] ? get(builds[0]) : []).flatMap((run, index) => [
      { name: `gateway CPU / query, L=0, ${label}, c=${run.connections}`, values: each((b) => get(b)[index]?.msPerQuery ?? Number.NaN), format: ms },
      {
        name: `of which GC pauses / query (scavenges, mark-compacts), L=0, ${label}, c=${run.connections}`,
        values: each((b) => gcMs(get(b)[index])),
        format: ms,
        detail: builds.map((b) => gcDetail(get(b)[index])),
      },
    ]);
  return [
    ...loadFigures(two, (b) => b.two.load, p.two.connections),
    ...memoryFigures(`${two}, after c=16`, (b) => b.two.memory),
    ...loadFigures(four, (b) => b.four.load, p.loadConnections),
    { name: `${four}, naive (batching off), c=1: p50 (ms)`, values: each((b) => b.four.naiveC1.p50Ms), format: f0 },
    ...cpuFigures('four providers, no cache', (b) => b.four.cpu.noCache),
    ...cpuFigures('four providers, warm cache', (b) => b.four.cpu.warmCache),
    ...memoryFigures(`${four}, after c=32`, (b) => b.four.memory),
  ];
}

function rows(results: Results): string[][] {
  return figures(results).map((figure) => {
    const cells = figure.values.map((value, index) => {
      const cell = figure.also ? `${figure.format(value)} / ${figure.format(figure.also[index] ?? Number.NaN)}` : figure.format(value);
      return figure.detail ? `${cell} (${figure.detail[index] ?? '-'})` : cell;
    });
    const [first, last] = [figure.values[0] ?? 0, figure.values.at(-1) ?? 0];
    return [figure.name, ...cells, ...(figure.values.length > 1 ? [first === 0 ? '-' : `${(last / first).toFixed(2)}x`] : [])];
  });
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
  const { floors } = results;
  const last = results.builds.at(-1);
  if (!last) throw new Error('no build measured');
  const busy = results.builds.some((build) => [...build.four.cpu.noCache, ...build.four.cpu.warmCache].some((run) => run.otherProcessesCores > 0.2));
  const head = ['measure', ...results.builds.map((build) => build.build), ...(results.builds.length > 1 ? [`${last.build} / ${results.builds[0]?.build}`] : [])];
  return [
    `Four providers: ${p.instancesPerProvider} instances x ${p.providers.length} (${p.providers.join(', ')}), L=${p.latencyMs} ms; two providers: ${p.two.instancesPerProvider} x ${p.two.providers.length} (${p.two.providers.join(', ')}), L=${p.two.latencyMs} ms; ` +
      `4 backups each; answer ${(p.answerBytes / 1024).toFixed(0)} KB (four); ${p.seconds} s per load run; upstream cap ${p.maxConcurrency} per account; node ${p.node}, ${p.cpus} cores`,
    `Builds: ${results.builds.map((build) => `${build.build} = ${build.root}`).join('; ')}`,
    '',
    `Upstream requests per dashboard query, four providers, one query alone (counted at the simulators; ${last.build}):`,
    '',
    upstreamTable(last.four.upstreamPerQuery),
    '',
    table(head, rows(results)),
    '',
    table(
      ['floor (four providers, L=0)', 'CPU / query'],
      [
        [`the query's ${floors.upstreamRequests} upstream requests replayed with bare undici + JSON.parse`, ms(floors.upstreamMsPerQuery)],
        [`the same answer served by bare node:http + JSON.stringify (least of ${runList(floors.servingRuns)})`, ms(floors.servingMsPerQuery)],
        [`the same query executed by graphql-jit over that answer in memory + node:http (least of ${runList(floors.graphqlRuns)})`, ms(floors.graphqlMsPerQuery)],
        [`the same graphql-jit execution behind Apollo Server 5 on express 5, set up as the gateway's (least of ${runList(floors.apolloRuns)})`, ms(floors.apolloMsPerQuery)],
      ],
    ),
    ...results.builds.flatMap((build) => ['', `Targets, ${build.build}:`, ...build.targets.map((target) => `${target.ok ? 'PASS' : 'MISS'}  ${target.name}: ${target.detail}`)]),
    ...(busy ? ['', 'WARNING: other processes used this machine during the CPU runs; the figures are inflated. Compare ratios within this run.'] : []),
    ...results.profiles.flatMap(profileLines),
  ].join('\n');
}

const runList = (runs: readonly number[]): string => runs.map((value) => value.toFixed(2)).join(', ');
