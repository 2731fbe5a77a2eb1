/**
 * The compiled gateway (dist/main.js) in a child process, as `npm start` runs
 * it (its node flags and variables, from package.json), with bench/memory-probe.mjs loaded
 * so that the bench can read its memory after a full GC; RSS is read from
 * /proc at any time. For the memory benches (bench/memory.ts, bench/soak.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startNodeEnv, startNodeFlags } from './ipc.js';
import { peakRssBytes } from './peak-rss.js';

const main = join(import.meta.dirname, '..', 'dist', 'main.js');
const MiB = 1024 * 1024;
const nodeFlags = process.env.BENCH_NODE_FLAGS !== undefined ? process.env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean) : startNodeFlags();

export interface CompiledGateway {
  graphqlUrl: string;
  /** Resident set now, from /proc (what the kernel charges), in MiB. */
  rssMiB(): number;
  /** Its highest resident set since it started (the kernel's high-water mark, bench/peak-rss.ts), in MiB. */
  peakRssMiB(): number;
  /** CPU time (user + system) it has used so far, in ms, from /proc. */
  cpuMs(): number;
  /** RSS and heap used right after a full GC, in MiB. */
  afterGc(): Promise<{ rssMiB: number; heapMiB: number }>;
  /** With MEMORY_PEAK=1, the gateway's memory sampled at its highest RSS so far (bench/memory-probe.mjs); null otherwise. */
  peak(): Promise<PeakSample | null>;
  stop(): Promise<void>;
}

/** What bench/memory-probe.mjs keeps under MEMORY_PEAK=1: the sample at the highest RSS, in MiB. */
export interface PeakSample {
  rssMiB: number;
  heapTotalMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
  spaces: Record<string, { committedMiB: number; usedMiB: number }>;
}

export async function startCompiledGateway(config: Record<string, unknown>): Promise<CompiledGateway> {
  if (!existsSync(main)) throw new Error('dist/main.js is missing: run `npm run build` first');
  const configFile = join(mkdtempSync(join(tmpdir(), 'bench-gateway-')), 'config.yaml');
  writeFileSync(configFile, stringify({ allowAnonymous: true, admin: { port: 0 }, ...config }));
  const child: ChildProcess = fork(main, ['--config', configFile], {
    // BENCH_NODE_FLAGS (space-separated) replaces `npm start`'s flags, to weigh one against RSS.
    execArgv: [...nodeFlags, '--expose-gc', '--import', join(import.meta.dirname, 'memory-probe.mjs')],
    // The start banner is an info event, in JSON, with the address.
    env: { ...process.env, ...startNodeEnv(), PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', process.env.MEMORY_DETAIL ? 'inherit' : 'ignore', 'ipc'],
  });
  let output = '';
  const graphqlUrl = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+\/graphql)"/.exec(output);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`the gateway exited (code ${code}) before listening:\n${output}`)));
  });
  // MEMORY_DETAIL=1 shows what the gateway prints (with --trace-gc in BENCH_NODE_FLAGS, its collections).
  if (process.env.MEMORY_DETAIL) child.stdout?.pipe(process.stderr);
  else child.stdout?.resume();
  const pid = child.pid as number;
  const rssMiB = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const peakRssMiB = () => peakRssBytes(pid) / MiB;
  // utime and stime, fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
  const cpuMs = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  const afterGc = () =>
    new Promise<{ rssMiB: number; heapMiB: number }>((resolve) => {
      child.once('message', (answer: { rssBytes: number; heapUsedBytes: number; heapTotalBytes: number; externalBytes: number }) => {
        if (process.env.MEMORY_DETAIL) process.stderr.write(`after GC: ${JSON.stringify(answer)}\n`);
        resolve({ rssMiB: answer.rssBytes / MiB, heapMiB: answer.heapUsedBytes / MiB });
      });
      child.send({ type: 'memory' });
    });
  const peak = () =>
    new Promise<PeakSample | null>((resolve) => {
      child.once('message', (answer: { peak: PeakSample | null }) => resolve(answer.peak));
      child.send({ type: 'peak' });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { graphqlUrl, rssMiB, peakRssMiB, cpuMs, afterGc, peak, stop };
}
