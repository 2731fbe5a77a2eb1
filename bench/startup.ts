/**
 * `npm run bench:startup`: what the compiled build (dist/, as `npm start` runs
 * it) costs to start and to keep idle, with all four providers configured.
 * Runs dist/main.js with the node flags of `npm start` against the bench's
 * simulators (a child process) and prints, as a markdown table: `--help` wall
 * time, exec-to-/healthz time, RSS idle, after one dashboard query, CPU per
 * dashboard over BENCH_STARTUP_DASHBOARDS (100) in a row, RSS after them and
 * after the first GraphiQL view, and SIGTERM-to-exit time. BENCH_STARTUP_RUNS (3)
 * runs; the medians are shown; BENCH_NODE_FLAGS replaces the node flags.
 * Build first (`npm run build`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { startChild, startNodeEnv, startNodeFlags } from './ipc.js';
import { dashboardOnce } from './load.js';
import { dashboardBody, settings } from './settings.js';
import { progress } from './progress.js';
import { median } from './stats.js';

const root = join(import.meta.dirname, '..');
const main = join(root, 'dist', 'main.js');
if (!existsSync(main)) throw new Error('dist/main.js is missing: run `npm run build` first');
const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 3) || 3;
const dashboards = Number(process.env.BENCH_STARTUP_DASHBOARDS ?? 100) || 100;
// BENCH_NODE_FLAGS (space-separated) replaces `npm start`'s flags, to weigh one against RSS.
const flags = process.env.BENCH_NODE_FLAGS !== undefined ? process.env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean) : startNodeFlags();

/** Resident set of a process, from /proc (Linux): what the kernel charges it. */
const rssMiB = (pid: number): number => {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) / 1024;
};

/** CPU time (user + system) a process has used so far, from /proc: steadier than wall time on a busy machine. */
const cpuMs = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
};


function helpMs(): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [...flags, main, '--help'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`--help exited ${result.status}`);
  return performance.now() - started;
}

/** Spawns the gateway and resolves once /healthz answers 200, with the time that took. */
async function startGateway(configFile: string): Promise<{ child: ChildProcess; url: string; healthzMs: number; healthzCpuMs: number }> {
  const started = performance.now();
  // The start banner is an info event: the only one at this level, in JSON, with the address.
  const child = spawn(process.execPath, [...flags, main, '--config', configFile], { env: { ...process.env, ...startNodeEnv(), PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)\/graphql"/.exec(output);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`the gateway exited (code ${code}) before listening`)));
  });
  const health = await fetch(`${url}/healthz`);
  if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`);
  return { child, url, healthzMs: performance.now() - started, healthzCpuMs: cpuMs(child.pid as number) };
}

const step = progress('bench:startup');
step(`starting the simulators; then ${runs} runs of: start, 5 s idle and settling, ${dashboards} dashboards in a row (up to a second each on a loaded machine), GraphiQL, SIGTERM`);
const simulatorsChild = await startChild('simulators.ts', {});
if (simulatorsChild.ready.type !== 'simulators-ready') throw new Error('the simulators did not report ready');
const accounts = simulatorsChild.ready.simulators.map((simulator) => simulator.account);
const totalInstances = settings.instances * accounts.length;
const configFile = join(mkdtempSync(join(tmpdir(), 'bench-startup-')), 'config.yaml');
writeFileSync(configFile, stringify({ allowAnonymous: true, admin: { port: 0 }, limits: { maxPageSize: Math.max(1_000, totalInstances) }, providers: accounts }));

const rows: Array<Record<string, number>> = [];
for (let run = 0; run < runs; run++) {
  step(`run ${run + 1} of ${runs}: --help, then the gateway's start`);
  const help = helpMs();
  const { child, url, healthzMs, healthzCpuMs } = await startGateway(configFile);
  const pid = child.pid as number;
  // Idle: what start-up allocated, after V8 has had a moment to collect it.
  await sleep(3_000);
  const idle = rssMiB(pid);
  await dashboardOnce(`${url}/graphql`, dashboardBody(totalInstances), totalInstances);
  await sleep(1_000);
  const afterDashboard = rssMiB(pid);
  // CPU per dashboard over a short sequential run: what a smaller young generation costs.
  step(`run ${run + 1} of ${runs}: ${dashboards} dashboards in a row`);
  const cpuBefore = cpuMs(pid);
  for (let query = 0; query < dashboards; query++) await dashboardOnce(`${url}/graphql`, dashboardBody(totalInstances), totalInstances);
  const dashboardCpuMs = (cpuMs(pid) - cpuBefore) / dashboards;
  const afterLoad = rssMiB(pid);
  // The shell, then the files it names (the first view builds them): what a browser fetches.
  const shell = await (await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } })).text();
  for (const [, path] of shell.matchAll(/(?:src|href)="(\/graphql\/graphiql\/[^"]+)"/g)) await (await fetch(`${url}${path}`)).arrayBuffer();
  await sleep(1_000);
  const afterGraphiql = rssMiB(pid);
  const stopping = performance.now();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`SIGTERM: exit code ${code}`);
  rows.push({ help, healthzMs, healthzCpuMs, idle, afterDashboard, dashboardCpuMs, afterLoad, afterGraphiql, stopMs: performance.now() - stopping });
}
await simulatorsChild.stop();
step('done');

const column = (key: string) => median(rows.map((row) => row[key] as number));
process.stdout.write(
  [
    `\n### Start-up and idle memory (dist/, node ${flags.join(' ') || '(no flags)'}, ${accounts.length} providers, median of ${runs})\n`,
    `| --help | exec to /healthz 200 (CPU) | RSS idle | RSS after a dashboard | CPU per dashboard (${dashboards} in a row) | RSS after them | RSS after GraphiQL | SIGTERM to exit |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${column('help').toFixed(0)} ms | ${column('healthzMs').toFixed(0)} ms (${column('healthzCpuMs').toFixed(0)} ms) | ${column('idle').toFixed(0)} MiB | ${column('afterDashboard').toFixed(0)} MiB | ${column('dashboardCpuMs').toFixed(1)} ms | ${column('afterLoad').toFixed(0)} MiB | ${column('afterGraphiql').toFixed(0)} MiB | ${column('stopMs').toFixed(0)} ms |`,
    '',
  ].join('\n'),
);
