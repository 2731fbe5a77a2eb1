/**
 * `npm run bench`: the dashboard benchmark of issues 8 and 14.
 *
 * Processes: the provider simulators (bench/simulators.ts), the gateway
 * under test (bench/gateway.ts, one process per configuration so its CPU is
 * its own; the compiled dist/ by default), and this one, which drives
 * autocannon and counts upstream requests at the simulators.
 *
 * Two configurations:
 * - four providers (BENCH_N instances each, 50; BENCH_LATENCY_MS, 20): CPU per
 *   query at L = 0 against the floors, without and with the cache, latency
 *   and throughput at L with 1, 16 and 32 clients, the naive baseline;
 * - two providers (OnApp + Danube, BENCH_TWO_N = 20, BENCH_TWO_LATENCY_MS =
 *   5, 1 and 16 clients): issue 14's comparison with a generic gateway.
 *
 * Other knobs: BENCH_SECONDS (per load run, 10), BENCH_MAX_CONCURRENCY
 * (upstream cap per account, 256; 0 = shipped default), BENCH_CPU_CONNECTIONS
 * ("1,8"), BENCH_BUILD / BENCH_BASELINE (which builds; a baseline is measured
 * back to back with this build, step by step); `-- --profile` also profiles
 * the L=0 loads. Prints markdown tables and writes bench/results.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { GcTotals } from './gc-meter.js';
import { startGateway, startSimulators, type RunningGatewayChild, type SimulatorSet } from './children.js';
import { startChild } from './ipc.js';
import { dashboardOnce, loadRun } from './load.js';
import { machineBusyMs } from './machine.js';
import { onceReadLabels, roundsBetween, type ReceivedByLabel } from './read-rounds.js';
import type { FloorMode } from './floor-servers.js';
import { render, targets, type BuildResults, type CpuRun, type FloorResults, type LoadRow, type MemoryResults, type Results } from './report.js';
import { benchBuilds, settings, type Build } from './settings.js';
import type { SimulatorControl } from './sim-control.js';

/** CPU (ms) of the bench processes so far, and of the whole machine. */
async function cpuNow(gateway: RunningGatewayChild) {
  const [ours, simulatorsUsage] = await Promise.all([gateway.ask({ type: 'usage' }, 'usage'), gateway.sims.child.ask({ type: 'usage' }, 'usage')]);
  const bench = process.cpuUsage();
  return {
    gatewayMs: (ours.userMicros + ours.systemMicros) / 1000,
    gatewaySystemMs: ours.systemMicros / 1000,
    simulatorsMs: (simulatorsUsage.userMicros + simulatorsUsage.systemMicros) / 1000,
    benchMs: (bench.user + bench.system) / 1000,
    machineMs: machineBusyMs(),
    gc: ours.gc,
  };
}

const received = async (sims: SimulatorSet): Promise<{ total: number; byLabel: ReceivedByLabel }> => {
  const { byKind, byLabel } = await sims.child.ask({ type: 'received' }, 'received');
  return { total: Object.values(byKind).reduce((sum, count) => sum + count, 0), byLabel };
};

/** Gateway and simulator CPU over one load run, divided by the queries it answered. */
async function cpuRun(gateway: RunningGatewayChild, connections: number): Promise<CpuRun> {
  const before = await cpuNow(gateway);
  const run = await loadRun(gateway.url, gateway.sims.body, connections);
  const after = await cpuNow(gateway);
  await gateway.dashboard(); // still whole after the run
  const delta = (key: Exclude<keyof typeof before, 'gc'>) => after[key] - before[key];
  const ours = delta('gatewayMs') + delta('simulatorsMs') + delta('benchMs');
  const gc = (key: keyof GcTotals) => ((after.gc?.[key] ?? 0) - (before.gc?.[key] ?? 0)) / run.requests;
  return {
    connections,
    msPerQuery: delta('gatewayMs') / run.requests,
    systemMsPerQuery: delta('gatewaySystemMs') / run.requests,
    simulatorsMsPerQuery: delta('simulatorsMs') / run.requests,
    requestsPerSecond: run.requestsPerSecond,
    requests: run.requests,
    otherProcessesCores: Math.max(0, delta('machineMs') - ours) / 1000 / run.seconds,
    gc: { minorPerQuery: gc('minorCount'), minorMsPerQuery: gc('minorMs'), majorPerQuery: gc('majorCount'), majorMsPerQuery: gc('majorMs') },
  };
}

/**
 * A load run at the simulators' latency: latency, throughput, gateway CPU and upstream requests per query, and the
 * rounds of reads those requests came in (`onceLabels`: the reads one dashboard alone makes once, bench/read-rounds.ts).
 */
async function loadRow(gateway: RunningGatewayChild, connections: number, onceLabels: readonly string[]): Promise<LoadRow> {
  const [before, receivedBefore] = await Promise.all([gateway.ask({ type: 'usage' }, 'usage'), received(gateway.sims)]);
  const run = await loadRun(gateway.url, gateway.sims.body, connections);
  const [after, receivedAfter] = await Promise.all([gateway.ask({ type: 'usage' }, 'usage'), received(gateway.sims)]);
  const cpuMs = (after.userMicros + after.systemMicros - before.userMicros - before.systemMicros) / 1000;
  const upstream = receivedAfter.total - receivedBefore.total;
  const rounds = roundsBetween(receivedBefore.byLabel, receivedAfter.byLabel, onceLabels);
  return { ...run, cpuMsPerQuery: cpuMs / run.requests, upstreamPerQuery: upstream / run.requests, queriesPerRound: run.requests / rounds, upstreamPerRound: upstream / rounds };
}

async function memory(gateway: RunningGatewayChild): Promise<MemoryResults> {
  const mib = (bytes: number) => bytes / 1024 / 1024;
  const answer = await gateway.ask({ type: 'memory' }, 'memory');
  return { rssMb: mib(answer.rssBytes), maxRssMb: mib(answer.maxRssBytes), rssAfterGcMb: mib(answer.rssAfterGcBytes), heapAfterGcMb: mib(answer.heapAfterGcBytes) };
}

/**
 * The floors (bench/floor.ts), at L = 0: the query's own upstream requests
 * replayed with bare undici, and its answer served from memory by bare
 * node:http, by graphql-jit, and by graphql-jit behind Apollo and express.
 */
const FLOOR_RUNS = 3;

async function floors(sims: SimulatorSet, upstreamRequests: Awaited<ReturnType<SimulatorControl['requests']>>, answer: string): Promise<FloorResults> {
  const replayer = await startChild('floor.ts', {});
  const replayed = await replayer.ask({ type: 'replay', requests: upstreamRequests, seconds: settings.seconds }, 'replayed');
  await replayer.stop();
  // One process per server, so each one's CPU is its own. Three runs each, the
  // least kept: a single run of a few-ms floor was seen at 2.4 ms and 7.2 ms on
  // this machine, and a floor that is too high flatters every ratio above it.
  const servingRuns = async (mode: FloorMode) => {
    const floor = await startChild('floor.ts', {});
    try {
      const { url } = await floor.ask({ type: 'serve', answer, mode }, 'serving');
      for (let index = 0; index < 10; index++) await dashboardOnce(url, sims.body, sims.totalInstances);
      const runs: number[] = [];
      for (let round = 0; round < FLOOR_RUNS; round++) {
        const before = await floor.ask({ type: 'usage' }, 'usage');
        const run = await loadRun(url, sims.body, settings.cpuConnections[0] ?? 1, Math.max(1, settings.seconds / 2));
        const after = await floor.ask({ type: 'usage' }, 'usage');
        runs.push((after.userMicros + after.systemMicros - before.userMicros - before.systemMicros) / 1000 / run.requests);
      }
      return runs;
    } finally {
      await floor.stop();
    }
  };
  const serving = await servingRuns('json');
  const graphql = await servingRuns('graphql');
  const apollo = await servingRuns('apollo');
  return {
    upstreamRequests: upstreamRequests.length,
    upstreamMsPerQuery: replayed.msPerRound,
    servingMsPerQuery: Math.min(...serving),
    graphqlMsPerQuery: Math.min(...graphql),
    apolloMsPerQuery: Math.min(...apollo),
    servingRuns: serving,
    graphqlRuns: graphql,
    apolloRuns: apollo,
  };
}

/** One CPU run per BENCH_CPU_CONNECTIONS entry, in order. */
async function cpuRuns(gateway: RunningGatewayChild): Promise<CpuRun[]> {
  const runs: CpuRun[] = [];
  for (const connections of settings.cpuConnections) runs.push(await cpuRun(gateway, connections));
  return runs;
}

/** A CPU profile of the gateway over one more L = 0 run (after the measured ones: profiling slows it). */
async function profiled(gateway: RunningGatewayChild, label: string): Promise<Results['profiles'][number]> {
  const dir = join(import.meta.dirname, 'profiles');
  mkdirSync(dir, { recursive: true });
  const file = `gateway-dashboard-L0-${label.replace(/[^a-z0-9-]+/gi, '-')}.cpuprofile`;
  const connections = settings.cpuConnections[0] ?? 1;
  await gateway.ask({ type: 'profile-start' }, 'ok');
  const run = await loadRun(gateway.url, gateway.sims.body, connections);
  const { summary } = await gateway.ask({ type: 'profile-stop', file: join(dir, file) }, 'profiled');
  return { ...summary, label, file: `bench/profiles/${file}`, queries: run.requests, connections };
}

/** Runs `step` once per build, back to back, so each pair of figures shares the machine's mood. */
async function perBuild<T>(builds: readonly Build[], step: (build: Build) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const build of builds) out.push(await step(build));
  return out;
}

const builds = benchBuilds();
const profiles: Results['profiles'] = [];
const four = await startSimulators(settings.instances, settings.latencyMs, settings.kinds);
const l = settings.latencyMs;
let two: SimulatorSet | null = null;
try {
  // Four providers, batched, no cache. CPU per query first, at L = 0, on a process no load run has bloated yet.
  let upstreamRequests: Awaited<ReturnType<SimulatorControl['requests']>> = [];
  let answer = '';
  const batched = await perBuild(builds, async (build) => {
    await four.control.setLatency(l);
    const gateway = await startGateway(four, build, { batching: true, cacheTtlMs: 0 });
    answer = await gateway.dashboard();
    const upstream = await four.control.countDuring(() => gateway.dashboard());
    upstreamRequests = await four.control.requests();
    await four.control.setLatency(0);
    const cpuNoCache = await cpuRuns(gateway);
    if (settings.profile) profiles.push(await profiled(gateway, `${build.label} no-cache`));
    // Then latency and throughput at latency L, and memory after the c=32 run.
    await four.control.setLatency(l);
    const load: LoadRow[] = [];
    for (const connections of settings.loadConnections) load.push(await loadRow(gateway, connections, onceReadLabels(upstream)));
    const mem = await memory(gateway);
    await gateway.stop();
    return { upstream, cpuNoCache, load, memory: mem };
  });

  // Warm cross-request cache, L = 0: no upstream calls, CPU per query.
  await four.control.setLatency(0);
  const cached = await perBuild(builds, async (build) => {
    const gateway = await startGateway(four, build, { batching: true, cacheTtlMs: 3_600_000 });
    const upstream = await four.control.countDuring(() => gateway.dashboard());
    const cpu = await cpuRuns(gateway);
    if (settings.profile) profiles.push(await profiled(gateway, `${build.label} warm-cache`));
    await gateway.stop();
    return { upstream, cpu };
  });

  // The naive baseline at latency L: DataLoader batching off.
  await four.control.setLatency(l);
  const naive = await perBuild(builds, async (build) => {
    const gateway = await startGateway(four, build, { batching: false, cacheTtlMs: 0 });
    const upstream = await four.control.countDuring(() => gateway.dashboard());
    const c1 = await loadRun(gateway.url, four.body, 1);
    await gateway.stop();
    return { upstream, c1 };
  });

  await four.control.setLatency(0);
  const floorRuns = await floors(four, upstreamRequests, answer);
  await four.child.stop();

  // Two providers (issue 14's comparison): load at L, CPU and upstream calls per query from the same runs, memory.
  const twoSims = await startSimulators(settings.two.instances, settings.two.latencyMs, settings.two.kinds);
  two = twoSims;
  const twoProviders = await perBuild(builds, async (build) => {
    const gateway = await startGateway(twoSims, build, { batching: true, cacheTtlMs: 0 });
    const upstream = await twoSims.control.countDuring(() => gateway.dashboard());
    const load: LoadRow[] = [];
    for (const connections of settings.two.connections) load.push(await loadRow(gateway, connections, onceReadLabels(upstream)));
    const mem = await memory(gateway);
    await gateway.stop();
    return { upstream, load, memory: mem };
  });

  const perBuildResults: BuildResults[] = builds.map((build, index) => {
    const measured: Omit<BuildResults, 'targets'> = {
      build: build.label,
      root: build.root,
      four: {
        latencyMs: l,
        upstreamPerQuery: { batched: batched[index]!.upstream, naive: naive[index]!.upstream, warmCache: cached[index]!.upstream },
        load: batched[index]!.load,
        naiveC1: naive[index]!.c1,
        cpu: { noCache: batched[index]!.cpuNoCache, warmCache: cached[index]!.cpu },
        memory: batched[index]!.memory,
      },
      two: { latencyMs: settings.two.latencyMs, upstreamPerQuery: twoProviders[index]!.upstream, load: twoProviders[index]!.load, memory: twoProviders[index]!.memory },
    };
    return { ...measured, targets: targets(measured, floorRuns) };
  });
  const results: Results = {
    parameters: {
      instancesPerProvider: settings.instances,
      providers: four.simulators.map((simulator) => simulator.kind),
      latencyMs: l,
      loadConnections: settings.loadConnections,
      two: { instancesPerProvider: settings.two.instances, providers: twoSims.simulators.map((simulator) => simulator.kind), latencyMs: settings.two.latencyMs, connections: settings.two.connections },
      seconds: settings.seconds,
      maxConcurrency: settings.maxConcurrency > 0 ? settings.maxConcurrency : 'default',
      answerBytes: Buffer.byteLength(answer),
      node: process.version,
      cpus: availableParallelism(),
    },
    floors: floorRuns,
    builds: perBuildResults,
    profiles,
  };
  writeFileSync(join(import.meta.dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(render(results));
} finally {
  await four.child.stop();
  await two?.child.stop();
}
