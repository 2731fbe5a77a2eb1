/**
 * `npm run bench:warm-instructions`: the instructions the compiled gateway
 * executes per warm-cache dashboard, counted by valgrind's callgrind, so the
 * figure does not move with the machine's load (timings on a shared machine
 * do). The gateway runs under callgrind with counting off while it starts
 * and warms up (WARM_INSTRUCTIONS_WARMUP dashboards, 30, besides the 10 every
 * bench gateway gets), then counts WARM_INSTRUCTIONS_N dashboards (20), one
 * at a time, and prints the total over N. With BENCH_BASELINE set the
 * baseline is counted first, in the same sitting. Needs valgrind on PATH;
 * slow (a minute or more per build).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, startSimulators } from './children.js';
import { benchBuilds, settings } from './settings.js';

const dashboards = Number(process.env.WARM_INSTRUCTIONS_N ?? 20) || 20;
const warmup = Number(process.env.WARM_INSTRUCTIONS_WARMUP ?? 30);
const dir = mkdtempSync(join(tmpdir(), 'warm-instructions-'));
const wrapper = join(dir, 'node-under-callgrind.sh');
// fork() runs execPath with node's own arguments; the IPC channel's descriptor passes through valgrind.
writeFileSync(wrapper, `#!/bin/sh\nexec valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=${dir}/callgrind.out.%p ${JSON.stringify(process.execPath)} "$@"\n`);
chmodSync(wrapper, 0o755);

/** The Ir total of the one dump callgrind wrote for `pid` (counting from the last time it was switched on). */
function instructionsDumped(pid: number): number {
  const dump = readdirSync(dir).find((file) => file.startsWith(`callgrind.out.${pid}.`));
  if (!dump) throw new Error(`no callgrind dump for ${pid} in ${dir}`);
  const totals = /^(?:totals|summary): (\d+)/m.exec(readFileSync(join(dir, dump), 'utf8'));
  if (!totals) throw new Error(`no totals in ${dump}`);
  return Number(totals[1]);
}

const sims = await startSimulators(settings.instances, 0, settings.kinds);
try {
  for (const build of benchBuilds()) {
    const gateway = await startGateway(sims, build, { batching: true, cacheTtlMs: 3_600_000, execPath: wrapper });
    try {
      const pid = gateway.process.pid;
      if (pid === undefined) throw new Error('the gateway has no pid');
      for (let index = 0; index < warmup; index++) await gateway.dashboard();
      execFileSync('callgrind_control', ['--instr=on', String(pid)], { stdio: 'ignore' });
      for (let index = 0; index < dashboards; index++) await gateway.dashboard();
      execFileSync('callgrind_control', ['--dump', String(pid)], { stdio: 'ignore' });
      execFileSync('callgrind_control', ['--instr=off', String(pid)], { stdio: 'ignore' });
      const perDashboard = instructionsDumped(pid) / dashboards;
      console.log(`${build.label} (${build.root}): ${(perDashboard / 1e6).toFixed(2)} M instructions per warm dashboard (${dashboards} counted after ${warmup + 10} to warm up)`);
    } finally {
      await gateway.stop();
    }
  }
} finally {
  await sims.child.stop();
}
