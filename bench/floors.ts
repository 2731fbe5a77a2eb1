/**
 * `npm run bench:floors`: the warm dashboard against the serving floors, in
 * alternating rounds: graphql-jit over the answer in memory behind bare
 * node:http, the same behind Apollo Server 5 on express 5 as the gateway
 * sets them up (bench/floor-servers.ts), and the gateway with a warm read
 * cache. `npm run bench` takes each floor as the least of three short runs,
 * which on a fast day is a few ms and noisy; medians of alternating rounds
 * say how much of the warm dashboard is the stack and how much the gateway.
 *
 * Knobs: FLOORS_DASHBOARDS (per round, 200), FLOORS_ROUNDS (6), BENCH_N,
 * BENCH_BUILD (as for `npm run bench`), FLOORS_START_FLAGS=1 (the floors
 * under `npm start`'s node flags and variables, as the gateway runs: its
 * young generation capped at 4 MB for the memory target, where the floors
 * otherwise get node's default 16 MB and so collect less per dashboard);
 * `-- --profile` then profiles one more round of the gateway and prints
 * where its main thread went.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { startGateway, startSimulators } from './children.js';
import type { FloorMode } from './floor-servers.js';
import { startChild, startNodeEnv, startNodeFlags, type Child } from './ipc.js';
import { dashboardOnce } from './load.js';
import { benchBuilds, settings } from './settings.js';
import { median, positiveCount } from './stats.js';

const dashboards = positiveCount('FLOORS_DASHBOARDS', 200);
const rounds = positiveCount('FLOORS_ROUNDS', 6);
const floorsUnderStartFlags = process.env.FLOORS_START_FLAGS === '1';

const [build] = benchBuilds();
if (!build) throw new Error('no build to measure');
const sims = await startSimulators(settings.instances, 0, settings.kinds);
await sims.control.setLatency(0);
const gateway = await startGateway(sims, build, { batching: true, cacheTtlMs: 3_600_000, profiled: settings.profile });
const answer = await gateway.dashboard();

interface Server {
  label: string;
  child: Child;
  dashboard(): Promise<unknown>;
}
const servers: Server[] = [];
for (const [mode, label] of [
  ['graphql', 'graphql-jit over the answer in memory, bare node:http'],
  ['apollo', 'the same behind Apollo Server 5 on express 5'],
] as Array<[FloorMode, string]>) {
  const child = floorsUnderStartFlags ? await startChild('floor.ts', startNodeEnv(), startNodeFlags()) : await startChild('floor.ts', {});
  const { url } = await child.ask({ type: 'serve', answer, mode }, 'serving');
  const server = { label, child, dashboard: () => dashboardOnce(url, sims.body, sims.totalInstances) };
  for (let index = 0; index < 50; index++) await server.dashboard();
  servers.push(server);
}
servers.push({ label: 'the gateway, warm read cache', child: gateway, dashboard: () => gateway.dashboard() });

/** CPU per dashboard of the process behind `server` over one round. */
async function round(server: Server): Promise<number> {
  const before = await server.child.ask({ type: 'usage' }, 'usage');
  for (let index = 0; index < dashboards; index++) await server.dashboard();
  const after = await server.child.ask({ type: 'usage' }, 'usage');
  return (after.userMicros + after.systemMicros - before.userMicros - before.systemMicros) / 1000 / dashboards;
}

const results: number[][] = servers.map(() => []);
for (let index = 0; index < rounds; index++) for (const [position, server] of servers.entries()) results[position]?.push(await round(server));

const medians = results.map((values) => median(values));
const [jitFloor = Number.NaN, apolloFloor = Number.NaN] = medians;
const floorFlags = floorsUnderStartFlags ? `the floors under npm start's flags (${startNodeFlags().join(' ')}), as the gateway` : "the floors under node's defaults, the gateway under npm start's flags";
console.log(`Warm dashboard and its serving floors, ${sims.simulators.length} providers x ${settings.instances} instances, one client; ${rounds} alternating rounds of ${dashboards}; ${floorFlags}\n`);
console.log('| server | CPU / dashboard, each round (ms) | median | / graphql-jit floor | / Apollo floor |');
console.log('|---|---|---|---|---|');
for (const [position, server] of servers.entries()) {
  const value = medians[position] ?? Number.NaN;
  console.log(`| ${server.label} | ${(results[position] ?? []).map((ms) => ms.toFixed(2)).join(', ')} | ${value.toFixed(2)} ms | ${(value / jitFloor).toFixed(2)}x | ${(value / apolloFloor).toFixed(2)}x |`);
}
if (settings.profile) {
  const dir = join(import.meta.dirname, 'profiles');
  mkdirSync(dir, { recursive: true });
  await gateway.ask({ type: 'profile-start' }, 'ok');
  for (let index = 0; index < dashboards; index++) await gateway.dashboard();
  const { summary } = await gateway.ask({ type: 'profile-stop', file: join(dir, 'gateway-warm-dashboard.cpuprofile') }, 'profiled');
  const perDashboard = (micros: number): string => `${(micros / 1000 / dashboards).toFixed(3)} ms`;
  console.log(`\nProfile of ${dashboards} warm dashboards (${summary.file}): ${perDashboard(summary.sampledMicros)} of main thread each`);
  for (const [title, spots] of [['owners', summary.owners], ['functions', summary.functions], ['project functions, libraries they call included', summary.projectFunctions]] as const) {
    console.log(`\n${title}:`);
    for (const spot of spots) console.log(`  ${perDashboard(spot.selfMicros).padStart(10)}  ${spot.percent.toFixed(1).padStart(5)}%  ${spot.fn}`);
  }
}
await Promise.all([...servers.map((server) => server.child.stop()), sims.child.stop()]);
