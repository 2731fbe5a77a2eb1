/**
 * `npm run bench`: the dashboard benchmark of issue 8.
 *
 * Three processes: the provider simulators (bench/simulators.ts), the
 * gateway under test (bench/gateway.ts, one process per configuration so
 * its CPU is its own), and this one, which drives autocannon and counts
 * upstream requests at the simulators. Knobs: BENCH_N (instances per
 * provider, 50), BENCH_LATENCY_MS (20), BENCH_SECONDS (per load run, 10),
 * BENCH_MAX_CONCURRENCY (upstream cap per account, 256; 0 = shipped default),
 * BENCH_CPU_CONNECTIONS ("1,8"); `-- --profile` also profiles the L=0 load.
 * Prints markdown tables and writes bench/results.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { GatewaySetup } from './gateway.js';
import { startChild, startNodeFlags, type Child } from './ipc.js';
import { dashboardOnce, loadRun } from './load.js';
import { machineBusyMs } from './machine.js';
import { render, targets, type CpuRun, type Results } from './report.js';
import { dashboardBody, settings } from './settings.js';
import { SimulatorControl } from './sim-control.js';

const simulatorsChild = await startChild('simulators.ts', {});
if (simulatorsChild.ready.type !== 'simulators-ready') throw new Error('the simulators did not report ready');
const simulators = simulatorsChild.ready.simulators;
const control = new SimulatorControl(simulators);
const totalInstances = settings.instances * simulators.length;
const body = dashboardBody(totalInstances);

interface RunningGatewayChild extends Child {
  url: string;
  /** One checked dashboard query; its answer's text. */
  dashboard(): Promise<string>;
}

async function startGateway(options: Pick<GatewaySetup, 'batching' | 'cacheTtlMs'>): Promise<RunningGatewayChild> {
  const setup: GatewaySetup = {
    ...options,
    accounts: simulators.map((simulator) => simulator.account),
    maxConcurrency: settings.maxConcurrency,
    maxPageSize: Math.max(1_000, totalInstances),
  };
  const child = await startChild('gateway.ts', { BENCH_GATEWAY: JSON.stringify(setup) }, startNodeFlags());
  if (child.ready.type !== 'gateway-ready') throw new Error('the gateway did not report ready');
  const url = child.ready.url;
  const gateway = { ...child, url, dashboard: () => dashboardOnce(url, body, totalInstances) };
  // Warm-up: logins, keep-alive sockets, graphql-jit's compilation, V8's optimisation.
  for (let index = 0; index < 10; index++) await gateway.dashboard();
  return gateway;
}

/** CPU (ms) of the three bench processes so far, and of the whole machine. */
async function cpuNow(gateway: Pick<Child, 'ask'>) {
  const [ours, simulatorsUsage] = await Promise.all([gateway.ask({ type: 'usage' }, 'usage'), simulatorsChild.ask({ type: 'usage' }, 'usage')]);
  const bench = process.cpuUsage();
  return {
    gatewayMs: (ours.userMicros + ours.systemMicros) / 1000,
    gatewaySystemMs: ours.systemMicros / 1000,
    simulatorsMs: (simulatorsUsage.userMicros + simulatorsUsage.systemMicros) / 1000,
    benchMs: (bench.user + bench.system) / 1000,
    machineMs: machineBusyMs(),
  };
}

/** Gateway and simulator CPU over one load run, divided by the queries it answered. */
async function cpuRun(gateway: RunningGatewayChild, connections: number): Promise<CpuRun> {
  const before = await cpuNow(gateway);
  const run = await loadRun(gateway.url, body, connections);
  const after = await cpuNow(gateway);
  await gateway.dashboard(); // still whole after the run
  const delta = (key: keyof typeof before) => after[key] - before[key];
  const ours = delta('gatewayMs') + delta('simulatorsMs') + delta('benchMs');
  return {
    connections,
    msPerQuery: delta('gatewayMs') / run.requests,
    systemMsPerQuery: delta('gatewaySystemMs') / run.requests,
    simulatorsMsPerQuery: delta('simulatorsMs') / run.requests,
    requestsPerSecond: run.requestsPerSecond,
    requests: run.requests,
    otherProcessesCores: Math.max(0, delta('machineMs') - ours) / 1000 / run.seconds,
  };
}

/**
 * The floors (bench/floor.ts), at L = 0: the query's own upstream requests
 * replayed with bare undici, and its answer served by bare node:http.
 */
async function floors(upstreamRequests: Awaited<ReturnType<SimulatorControl['requests']>>, answer: string): Promise<Results['floors']> {
  const replayer = await startChild('floor.ts', {});
  const replayed = await replayer.ask({ type: 'replay', requests: upstreamRequests, seconds: settings.seconds }, 'replayed');
  await replayer.stop();
  // One process per server, so each one's CPU is its own.
  const servingMsPerQuery = async (mode: 'json' | 'graphql') => {
    const floor = await startChild('floor.ts', {});
    try {
      const { url } = await floor.ask({ type: 'serve', answer, mode }, 'serving');
      for (let index = 0; index < 10; index++) await dashboardOnce(url, body, totalInstances);
      const before = await floor.ask({ type: 'usage' }, 'usage');
      const run = await loadRun(url, body, settings.cpuConnections[0] ?? 1);
      const after = await floor.ask({ type: 'usage' }, 'usage');
      return (after.userMicros + after.systemMicros - before.userMicros - before.systemMicros) / 1000 / run.requests;
    } finally {
      await floor.stop();
    }
  };
  return {
    upstreamRequests: upstreamRequests.length,
    upstreamMsPerQuery: replayed.msPerRound,
    servingMsPerQuery: await servingMsPerQuery('json'),
    graphqlMsPerQuery: await servingMsPerQuery('graphql'),
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
  const file = `gateway-dashboard-L0-${label}.cpuprofile`;
  const connections = settings.cpuConnections[0] ?? 1;
  await gateway.ask({ type: 'profile-start' }, 'ok');
  const run = await loadRun(gateway.url, body, connections);
  const { summary } = await gateway.ask({ type: 'profile-stop', file: join(dir, file) }, 'profiled');
  return { ...summary, label, file: `bench/profiles/${file}`, queries: run.requests, connections };
}

try {
  // Batched, no cache. CPU per query first, at L = 0, on a process no load run has bloated yet
  // (after the c=32 run, the collector's backlog would be billed to the next queries).
  const batched = await startGateway({ batching: true, cacheTtlMs: 0 });
  const answer = await batched.dashboard();
  const answerBytes = Buffer.byteLength(answer);
  const upstreamBatched = await control.countDuring(() => batched.dashboard());
  const upstreamRequests = await control.requests();
  await control.setLatency(0);
  const cpuNoCache = await cpuRuns(batched);
  const floorRuns = await floors(upstreamRequests, answer);
  const profiles: Results['profiles'] = [];
  if (settings.profile) profiles.push(await profiled(batched, 'no-cache'));

  // Then latency and throughput at latency L, and memory after the c=32 run.
  await control.setLatency(settings.latencyMs);
  const batchedC1 = await loadRun(batched.url, body, 1);
  const batchedC32 = await loadRun(batched.url, body, 32);
  const { rssBytes, heapUsedBytes } = await batched.ask({ type: 'usage' }, 'usage');
  await batched.stop();

  // Warm cross-request cache, L = 0: no upstream calls, CPU per query.
  await control.setLatency(0);
  const cached = await startGateway({ batching: true, cacheTtlMs: 3_600_000 });
  const upstreamWarmCache = await control.countDuring(() => cached.dashboard());
  const cpuWarmCache = await cpuRuns(cached);
  if (settings.profile) profiles.push(await profiled(cached, 'warm-cache'));
  await cached.stop();

  // The naive baseline at latency L: DataLoader batching off.
  await control.setLatency(settings.latencyMs);
  const naive = await startGateway({ batching: false, cacheTtlMs: 0 });
  const upstreamNaive = await control.countDuring(() => naive.dashboard());
  const naiveC1 = await loadRun(naive.url, body, 1);
  await naive.stop();

  const measured: Omit<Results, 'targets' | 'profiles'> = {
    parameters: {
      instancesPerProvider: settings.instances,
      providers: simulators.map((simulator) => simulator.kind),
      latencyMs: settings.latencyMs,
      seconds: settings.seconds,
      maxConcurrency: settings.maxConcurrency > 0 ? settings.maxConcurrency : 'default',
      answerBytes,
      node: process.version,
      cpus: availableParallelism(),
    },
    upstreamPerQuery: { batched: upstreamBatched, naive: upstreamNaive, warmCache: upstreamWarmCache },
    latency: { batchedC1, batchedC32, naiveC1 },
    cpu: { noCache: cpuNoCache, warmCache: cpuWarmCache },
    floors: floorRuns,
    memory: { rssMb: rssBytes / 1024 / 1024, heapUsedMb: heapUsedBytes / 1024 / 1024 },
  };
  const results: Results = { ...measured, targets: targets(measured), profiles };
  writeFileSync(join(import.meta.dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(render(results));
} finally {
  await simulatorsChild.stop();
}
