/**
 * `npm run bench:memory`: the compiled gateway's memory under the load the
 * README's sizing figures quote, as `npm start` runs it (dist/, its node
 * flags), against the bench's simulators (a child process):
 * - the bench's two-provider load: 16 concurrent dashboards over OnApp and
 *   Danube x BENCH_TWO_N (20) at BENCH_TWO_LATENCY_MS (5) for MEMORY_SECONDS
 *   (20): RSS idle, at its peak, at the end, after a full GC;
 * - the bench's four-provider load: N = BENCH_N (50) each, 32 concurrent
 *   dashboards at BENCH_LATENCY_MS (20) for BENCH_SECONDS (10): the same.
 * The peak is the kernel's high-water mark of the gateway process (VmHWM,
 * bench/peak-rss.ts) over its life, as `npm run bench` reads its own.
 * Prints a markdown table, with dashboards/s, CPU and upstream calls per
 * dashboard. MEMORY_DISTINCT_CLIENTS=1 makes each connection a client of its
 * own (its own X-Forwarded-For, loopback trusted as a proxy), as many browsers
 * showing one dashboard: the account's waiting calls then take turns by
 * client. MEMORY_PEAK=1 adds a table of what each peak is made of: the
 * gateway's memory sampled every 25 ms at its highest RSS (V8's heap spaces,
 * committed and used, and the memory outside them). Build first (`npm run build`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startCompiledGateway, type PeakSample } from './compiled-gateway.js';
import { startChild, startNodeFlags, type Child, type SimulatorInfo } from './ipc.js';
import { dashboardOnce, distinctClientsLoadRun, loadRun } from './load.js';
import { progress } from './progress.js';
import { dashboardBody, settings } from './settings.js';

const receivedTotal = async (simulators: Child): Promise<number> => {
  const { byKind } = await simulators.ask({ type: 'received' }, 'received');
  return Object.values(byKind).reduce((sum, count) => sum + count, 0);
};

/** MEMORY_DISTINCT_CLIENTS=1: each connection a client of its own (its own forwarded address), not one client. */
const distinctClients = process.env.MEMORY_DISTINCT_CLIENTS === '1';

const loadSeconds = Number(process.env.MEMORY_SECONDS ?? 20) || 20;

interface Scenario {
  name: string;
  /** The simulated providers ([] = every kind, as BENCH_KINDS unset). */
  kinds: readonly string[];
  instances: number;
  latencyMs: number;
  connections: number;
  seconds: number;
}

const scenarios: Scenario[] = [
  {
    name: `16 dashboards, ${settings.two.kinds.join(' + ')} x ${settings.two.instances}, L = ${settings.two.latencyMs} ms`,
    kinds: settings.two.kinds,
    instances: settings.two.instances,
    latencyMs: settings.two.latencyMs,
    connections: 16,
    seconds: loadSeconds,
  },
  { name: `bench N = ${settings.instances}, c = 32 (4 providers x ${settings.instances}), L = ${settings.latencyMs} ms`, kinds: settings.kinds, instances: settings.instances, latencyMs: settings.latencyMs, connections: 32, seconds: settings.seconds },
];

const peakRows: string[] = [];

/** One row of the MEMORY_PEAK=1 table: RSS at the peak split into V8's spaces (committed / used) and the rest. */
function peakRow(name: string, sample: PeakSample): string {
  const space = (spaceName: string) => sample.spaces[spaceName] ?? { committedMiB: 0, usedMiB: 0 };
  const both = (spaceName: string) => `${space(spaceName).committedMiB.toFixed(1)} / ${space(spaceName).usedMiB.toFixed(1)}`;
  const large = space('large_object_space').committedMiB + space('code_large_object_space').committedMiB + space('new_large_object_space').committedMiB;
  const cells = [sample.rssMiB, sample.heapTotalMiB].map((mib) => `${mib.toFixed(1)} MiB`);
  const outside = sample.rssMiB - sample.heapTotalMiB;
  return `| ${name} | ${cells.join(' | ')} | ${both('old_space')} | ${both('new_space')} | ${both('code_space')} | ${large.toFixed(1)} | ${sample.externalMiB.toFixed(1)} (${sample.arrayBuffersMiB.toFixed(1)}) | ${outside.toFixed(1)} MiB |`;
}

async function measure(scenario: Scenario): Promise<string> {
  const simulators = await startChild('simulators.ts', { BENCH_N: String(scenario.instances), BENCH_LATENCY_MS: String(scenario.latencyMs), BENCH_KINDS: scenario.kinds.join(',') });
  if (simulators.ready.type !== 'simulators-ready') throw new Error('the simulators did not report ready');
  const accounts = simulators.ready.simulators.map((simulator: SimulatorInfo) => simulator.account);
  const total = scenario.instances * accounts.length;
  const gateway = await startCompiledGateway({
    limits: { maxPageSize: Math.max(1_000, total), maxCost: 100_000_000 },
    providers: accounts.map((account) => ({ ...account, ...(settings.maxConcurrency > 0 ? { maxConcurrency: settings.maxConcurrency } : {}) })),
    ...(distinctClients ? { listen: { trustedProxies: ['loopback'] } } : {}),
  });
  try {
    const body = dashboardBody(total);
    await sleep(3_000);
    const idle = gateway.rssMiB();
    await dashboardOnce(gateway.graphqlUrl, body, total);
    const cpuBefore = gateway.cpuMs();
    const receivedBefore = await receivedTotal(simulators);
    const load = await (distinctClients ? distinctClientsLoadRun : loadRun)(gateway.graphqlUrl, body, scenario.connections, scenario.seconds);
    const cpuPerDashboard = (gateway.cpuMs() - cpuBefore) / load.requests;
    // Counted at the simulators: how much the coalesced reads shared, which machine noise moves less than times.
    const upstreamPerDashboard = ((await receivedTotal(simulators)) - receivedBefore) / load.requests;
    const peak = gateway.peakRssMiB();
    const peakSample = await gateway.peak();
    if (peakSample) peakRows.push(peakRow(scenario.name, peakSample));
    const end = gateway.rssMiB();
    const collected = await gateway.afterGc();
    const cells = [scenario.name, idle, peak, end, collected.rssMiB, collected.heapMiB].map((cell) => (typeof cell === 'number' ? `${cell.toFixed(0)} MiB` : cell));
    return `| ${cells.join(' | ')} | ${load.requestsPerSecond.toFixed(1)} | ${cpuPerDashboard.toFixed(0)} ms | ${upstreamPerDashboard.toFixed(1)} |`;
  } finally {
    await gateway.stop();
    await simulators.stop();
  }
}

const rows: string[] = [];
const step = progress('bench:memory');
// MEMORY_ONLY=1 (or 2) runs one scenario, to try a flag quickly.
for (const [index, scenario] of scenarios.entries()) {
  if (process.env.MEMORY_ONLY && Number(process.env.MEMORY_ONLY) !== index + 1) continue;
  step(`${scenario.name}: start, 3 s idle, then ${scenario.connections} dashboards at once for ${scenario.seconds} s`);
  rows.push(await measure(scenario));
}
step('done');
process.stdout.write(
  [
    `\n### Memory under load${distinctClients ? ', each connection a client of its own' : ''} (dist/, node ${(process.env.BENCH_NODE_FLAGS ?? startNodeFlags().join(' ')) || '(no flags)'}; peak: the process's VmHWM)\n`,
    '| load | RSS idle | RSS peak | RSS at the end | RSS after a full GC | heap after a full GC | dashboards/s | CPU per dashboard | upstream calls per dashboard |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    ...(peakRows.length === 0
      ? []
      : [
          '#### At the peak (MEMORY_PEAK=1: sampled every 25 ms, the sample at the highest RSS; MiB committed / used)\n',
          '| load | RSS | V8 heap committed | old space | new space | code space | large objects (sources, big strings) | external (of it ArrayBuffers) | outside V8\'s heap (binary, malloc, stacks; external included) |',
          '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
          ...peakRows,
          '',
        ]),
  ].join('\n'),
);
