/**
 * `npm run bench:uncached-instructions`: the instructions one uncached
 * dashboard costs (four providers, the cache off, L = 0, one at a time),
 * counted by valgrind's callgrind as bench/warm-instructions.ts counts a warm
 * one, and the same for its floor (the dashboard's own upstream requests
 * replayed with bare undici and JSON.parse'd, and its answer served by bare
 * node:http with JSON.stringify: bench/floor.ts, the floor of issue 14's
 * uncached target). Counting is off while each process starts and warms up
 * (UNCACHED_INSTRUCTIONS_WARMUP dashboards, 20, besides the bench's 10), then
 * on for UNCACHED_INSTRUCTIONS_N (10). With BENCH_BASELINE set the baseline
 * is counted first, in the same sitting. Each process runs with
 * --perf-basic-prof, so the dumps left in $TMPDIR/uncached-instructions-*
 * can name JIT code from /tmp/perf-PID.map. Needs valgrind on PATH; slow.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, startSimulators } from './children.js';
import { startChild } from './ipc.js';
import { dashboardOnce } from './load.js';
import { benchBuilds, settings } from './settings.js';

const dashboards = Number(process.env.UNCACHED_INSTRUCTIONS_N ?? 10) || 10;
const warmup = Number(process.env.UNCACHED_INSTRUCTIONS_WARMUP ?? 20);
const withFloor = process.env.UNCACHED_INSTRUCTIONS_FLOOR !== '0';
const dir = mkdtempSync(join(tmpdir(), 'uncached-instructions-'));
const wrapper = join(dir, 'node-under-callgrind.sh');
// fork() runs execPath with node's own arguments; the IPC channel's descriptor passes through valgrind.
writeFileSync(wrapper, `#!/bin/sh\nexec valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=${dir}/callgrind.out.%p ${JSON.stringify(process.execPath)} --perf-basic-prof --logfile=${dir}/v8-%p.log "$@"\n`);
chmodSync(wrapper, 0o755);

/** The Ir total of the one dump callgrind wrote for `pid` (counting from the last time it was switched on). */
function instructionsDumped(pid: number): number {
  const dump = readdirSync(dir).find((file) => file.startsWith(`callgrind.out.${pid}.`));
  if (!dump) throw new Error(`no callgrind dump for ${pid} in ${dir}`);
  const totals = /^(?:totals|summary): (\d+)/m.exec(readFileSync(join(dir, dump), 'utf8'));
  if (!totals) throw new Error(`no totals in ${dump}`);
  return Number(totals[1]);
}

/** Counts `run` in the process `pid`, with counting switched on around it only; its total over `per`. */
async function counted(pid: number | undefined, per: number, run: () => Promise<void>): Promise<number> {
  if (pid === undefined) throw new Error('the child has no pid');
  execFileSync('callgrind_control', ['--instr=on', String(pid)], { stdio: 'ignore' });
  await run();
  execFileSync('callgrind_control', ['--dump', String(pid)], { stdio: 'ignore' });
  execFileSync('callgrind_control', ['--instr=off', String(pid)], { stdio: 'ignore' });
  return instructionsDumped(pid) / per;
}

const millions = (count: number) => `${(count / 1e6).toFixed(2)} M`;
const sims = await startSimulators(settings.instances, 0, settings.kinds);
// Under callgrind the gateway runs some 50 times slower: the default upstream timeout would open the breakers.
for (const simulator of sims.simulators) simulator.account = { ...simulator.account, timeoutMs: 120_000 };
try {
  let answer = '';
  let requests: Awaited<ReturnType<typeof sims.control.requests>> = [];
  for (const build of benchBuilds()) {
    const gateway = await startGateway(sims, build, { batching: true, cacheTtlMs: 0, execPath: wrapper });
    try {
      for (let index = 0; index < warmup; index++) answer = await gateway.dashboard();
      await sims.control.countDuring(() => gateway.dashboard());
      requests = await sims.control.requests();
      const perDashboard = await counted(gateway.process.pid, dashboards, async () => {
        for (let index = 0; index < dashboards; index++) await gateway.dashboard();
      });
      console.log(`${build.label} (${build.root}): ${millions(perDashboard)} instructions per uncached dashboard (${dashboards} counted after ${warmup + 11}; pid ${gateway.process.pid})`);
    } finally {
      await gateway.stop();
    }
  }
  if (withFloor) {
    const replayer = await startChild('floor.ts', {}, [], wrapper);
    try {
      // seconds 0: the ten rounds bench/floor.ts runs to warm up, and no timed round.
      await replayer.ask({ type: 'replay', requests, seconds: 0 }, 'replayed');
      await replayer.ask({ type: 'replay', requests, seconds: 0 }, 'replayed');
      const perRound = await counted(replayer.process.pid, 10, async () => {
        await replayer.ask({ type: 'replay', requests, seconds: 0 }, 'replayed');
      });
      console.log(`floor, upstream: ${millions(perRound)} instructions per replay of the dashboard's ${requests.length} upstream requests (pid ${replayer.process.pid})`);
    } finally {
      await replayer.stop();
    }
    const server = await startChild('floor.ts', {}, [], wrapper);
    try {
      const { url } = await server.ask({ type: 'serve', answer, mode: 'json' }, 'serving');
      for (let index = 0; index < warmup + 10; index++) await dashboardOnce(url, sims.body, sims.totalInstances);
      const perAnswer = await counted(server.process.pid, dashboards, async () => {
        for (let index = 0; index < dashboards; index++) await dashboardOnce(url, sims.body, sims.totalInstances);
      });
      console.log(`floor, serving: ${millions(perAnswer)} instructions per answer served by bare node:http (pid ${server.process.pid})`);
    } finally {
      await server.stop();
    }
  }
  console.log(`dumps and wrapper in ${dir}`);
} finally {
  await sims.child.stop();
}
