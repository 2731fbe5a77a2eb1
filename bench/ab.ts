/**
 * `npm run bench:ab`: one client's dashboard at L = 0, build against build,
 * in alternating rounds (BENCH_BASELINE's build, then this one, then the
 * baseline again...), both gateways up at once over the same simulators. A
 * single run of `npm run bench` measures each build once, minutes apart, and
 * the machine's load moves a figure by up to 30% in that time; alternating
 * short rounds spreads that noise over both builds, and the median of the
 * rounds is the figure to compare.
 *
 * Knobs: AB_DASHBOARDS (per round, 25), AB_ROUNDS (6), AB_WARM=1 (the warm
 * read cache instead of none), AB_CONNECTIONS (dashboards in flight at once,
 * 1: the bench's c=16 rows differ from its c=1 rows in the coalesced reads and
 * the per-request work under load), AB_LATENCY_MS (the simulators' latency,
 * 0), BENCH_N (instances per provider, 50), BENCH_BUILD / BENCH_BASELINE (as
 * for `npm run bench`), BENCH_BASELINE_NODE_FLAGS (the baseline's node flags
 * instead of `npm start`'s: one build against itself weighs a flag).
 */
import { startGateway, startSimulators, type RunningGatewayChild } from './children.js';
import { benchBuilds, settings } from './settings.js';
import { median, positiveCount } from './stats.js';

const dashboards = positiveCount('AB_DASHBOARDS', 25);
const rounds = positiveCount('AB_ROUNDS', 6);
const warm = process.env.AB_WARM === '1';
const connections = positiveCount('AB_CONNECTIONS', 1);
const latencyMs = Number(process.env.AB_LATENCY_MS ?? 0) || 0;

interface Round {
  cpuMs: number;
  gcMs: number;
}

/** Gateway CPU and GC pause per dashboard over `dashboards` dashboards one after another. */
async function round(gateway: RunningGatewayChild): Promise<Round> {
  const before = await gateway.ask({ type: 'usage' }, 'usage');
  let sent = 0;
  const client = async (): Promise<void> => {
    while (sent < dashboards) {
      sent++;
      await gateway.dashboard();
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  const after = await gateway.ask({ type: 'usage' }, 'usage');
  const cpuMicros = after.userMicros + after.systemMicros - before.userMicros - before.systemMicros;
  const gcMs = (after.gc?.minorMs ?? 0) + (after.gc?.majorMs ?? 0) - (before.gc?.minorMs ?? 0) - (before.gc?.majorMs ?? 0);
  return { cpuMs: cpuMicros / 1000 / dashboards, gcMs: gcMs / dashboards };
}

const builds = benchBuilds();
const sims = await startSimulators(settings.instances, 0, settings.kinds);
await sims.control.setLatency(latencyMs);
const gateways: RunningGatewayChild[] = [];
for (const build of builds) gateways.push(await startGateway(sims, build, { batching: true, cacheTtlMs: warm ? 3_600_000 : 0, profiled: false }));

const results: Round[][] = builds.map(() => []);
for (let index = 0; index < rounds; index++) {
  for (const [position, gateway] of gateways.entries()) results[position]?.push(await round(gateway));
}

console.log(
  `${warm ? 'Warm-cache' : 'Uncached'} dashboard, ${sims.simulators.length} providers x ${settings.instances} instances, L=${latencyMs}, ${connections === 1 ? 'one client' : `${connections} clients`}; ${rounds} alternating rounds of ${dashboards} dashboards\n`,
);
console.log('| build | gateway CPU / dashboard, each round (ms) | median | GC pause / dashboard, median |');
console.log('|---|---|---|---|');
for (const [position, build] of builds.entries()) {
  const rows = results[position] ?? [];
  const cpu = rows.map((row) => row.cpuMs);
  console.log(`| ${build.label} | ${cpu.map((ms) => ms.toFixed(1)).join(', ')} | ${median(cpu).toFixed(1)} ms | ${median(rows.map((row) => row.gcMs)).toFixed(1)} ms |`);
}
const [first, second] = results.map((rows) => median(rows.map((row) => row.cpuMs)));
if (first !== undefined && second !== undefined) console.log(`\nthis build / baseline (medians): ${(second / first).toFixed(2)}x`);
await Promise.all([...gateways.map((gateway) => gateway.stop()), sims.child.stop()]);
