/**
 * The bench's child processes: one simulators process, and one gateway under
 * test per configuration (bench/gateway.ts, bundled for a compiled build).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewaySetup } from './gateway.js';
import { startChild, startNodeEnv, startNodeFlags, type Child, type SimulatorInfo } from './ipc.js';
import { dashboardOnce } from './load.js';
import { dashboardBody, settings, type Build } from './settings.js';
import { SimulatorControl } from './sim-control.js';

/** One simulators process and what the bench needs of it. */
export interface SimulatorSet {
  child: Child;
  simulators: SimulatorInfo[];
  control: SimulatorControl;
  totalInstances: number;
  body: string;
}

export async function startSimulators(instances: number, latencyMs: number, kinds: readonly string[]): Promise<SimulatorSet> {
  const child = await startChild('simulators.ts', { BENCH_N: String(instances), BENCH_LATENCY_MS: String(latencyMs), BENCH_KINDS: kinds.join(',') });
  if (child.ready.type !== 'simulators-ready') throw new Error('the simulators did not report ready');
  const simulators = child.ready.simulators;
  const totalInstances = instances * simulators.length;
  return { child, simulators, control: new SimulatorControl(simulators), totalInstances, body: dashboardBody(totalInstances) };
}

export interface RunningGatewayChild extends Child {
  url: string;
  sims: SimulatorSet;
  /** One checked dashboard query; its answer's text. */
  dashboard(): Promise<string>;
}

export async function startGateway(sims: SimulatorSet, build: Build, options: Pick<GatewaySetup, 'batching' | 'cacheTtlMs'> & { profiled?: boolean; execPath?: string }): Promise<RunningGatewayChild> {
  const setup: GatewaySetup = {
    batching: options.batching,
    cacheTtlMs: options.cacheTtlMs,
    accounts: sims.simulators.map((simulator) => simulator.account),
    maxConcurrency: settings.maxConcurrency,
    maxPageSize: Math.max(1_000, sims.totalInstances),
    root: build.root,
  };
  // --expose-gc: heap after a full collection, asked for only after the measured runs.
  // Source maps name a profiled bundle's functions by their src/ files.
  // BENCH_BASELINE_NODE_FLAGS (space-separated) replaces `npm start`'s flags for the baseline only, to weigh a flag by CPU.
  const baselineFlags = build.label === 'baseline' ? process.env.BENCH_BASELINE_NODE_FLAGS : undefined;
  const nodeFlags = baselineFlags !== undefined ? baselineFlags.split(/\s+/).filter(Boolean) : startNodeFlags();
  const flags = [...nodeFlags, '--expose-gc', ...((options.profiled ?? settings.profile) && !build.root.endsWith('src') ? ['--enable-source-maps'] : [])];
  // A compiled build is driven by the bundled gateway process, under plain node as `npm start` runs.
  const bundledGateway = join(import.meta.dirname, '..', 'dist', 'bench-modules', 'bench-gateway.js');
  const script = !build.root.endsWith('src') && existsSync(bundledGateway) ? bundledGateway : 'gateway.ts';
  // npm start's variables (MALLOC_ARENA_MAX) as the build's own package.json sets them: a baseline checkout's may set none.
  const child = await startChild(script, { ...startNodeEnv(build.root), BENCH_GATEWAY: JSON.stringify(setup) }, flags, options.execPath);
  if (child.ready.type !== 'gateway-ready') throw new Error('the gateway did not report ready');
  const url = child.ready.url;
  const gateway = { ...child, url, sims, dashboard: () => dashboardOnce(url, sims.body, sims.totalInstances) };
  // Warm-up: logins, keep-alive sockets, graphql-jit's compilation, V8's optimisation.
  for (let index = 0; index < 10; index++) await gateway.dashboard();
  return gateway;
}

