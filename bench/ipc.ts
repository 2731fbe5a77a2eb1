/**
 * The parent's side of the two child processes (simulators, gateway): fork
 * under tsx and exchange typed messages over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import type { FloorMode } from './floor-servers.js';
import type { GcTotals } from './gc-meter.js';
import type { AllocationSummary, ProfileSummary } from './profile.js';
import { startCommand } from './start-command.js';

export interface SimulatorInfo {
  kind: string;
  /** Origin of the simulator's HTTP server; its /__sim/ control endpoints live there. */
  controlUrl: string;
  /** The provider entry (before validation) that points a gateway at it. */
  account: Record<string, unknown>;
}

/** One upstream request as a simulator logged it, to replay with a bare client. */
export interface ReplayRequest {
  origin: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Child -> parent. */
export type ChildMessage =
  | { type: 'simulators-ready'; simulators: SimulatorInfo[] }
  | { type: 'gateway-ready'; url: string }
  /** `gc`: the gateway's garbage-collection pauses so far (the gateway child only). */
  | { type: 'usage'; userMicros: number; systemMicros: number; rssBytes: number; heapUsedBytes: number; gc?: GcTotals }
  | { type: 'profiled'; summary: ProfileSummary }
  | { type: 'sampled'; summary: AllocationSummary }
  | { type: 'replayed'; rounds: number; msPerRound: number }
  | { type: 'serving'; url: string }
  /** The simulators' requests received since start, by provider kind and by "<kind> <label>" (never trimmed, unlike their logs). */
  | { type: 'received'; byKind: Record<string, number>; byLabel: Record<string, number> }
  /** The gateway's memory now, its peak RSS so far, and heap and RSS after a full garbage collection. */
  | { type: 'memory'; rssBytes: number; maxRssBytes: number; rssAfterGcBytes: number; heapAfterGcBytes: number }
  | { type: 'ok' };

/** Parent -> child. */
export type ParentMessage =
  | { type: 'usage' }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; file: string }
  | { type: 'heap-sampling-start'; survivorsOnly: boolean }
  | { type: 'heap-sampling-stop'; file: string }
  | { type: 'replay'; requests: ReplayRequest[]; seconds: number }
  | { type: 'serve'; answer: string; mode: FloorMode }
  | { type: 'received' }
  | { type: 'memory' }
  | { type: 'stop' };

export interface Child {
  process: ChildProcess;
  ready: ChildMessage;
  ask<T extends ChildMessage['type']>(message: ParentMessage, reply: T): Promise<Extract<ChildMessage, { type: T }>>;
  stop(): Promise<void>;
}

/** Forks bench/<script> under tsx and resolves with its first message (its "ready"). */
/** `script`: a bench/ TypeScript file (run under tsx), or the path of a bundled .js (run under plain node). */
/** `execPath`: what runs the child instead of this node (a wrapper that execs node under valgrind: bench/warm-instructions.ts). */
export function startChild(script: string, env: Record<string, string>, nodeFlags: readonly string[] = [], execPath?: string): Promise<Child> {
  const bundled = isAbsolute(script) && script.endsWith('.js');
  const child = fork(bundled ? script : join(import.meta.dirname, script), {
    env: { ...process.env, ...env },
    ...(execPath ? { execPath } : {}),
    execArgv: bundled ? [...nodeFlags] : [...nodeFlags, '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T extends ChildMessage['type']>(message: ParentMessage, reply: T) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve) => {
      const listener = (answer: ChildMessage) => {
        if (answer.type !== reply) return;
        child.off('message', listener);
        resolve(answer as Extract<ChildMessage, { type: T }>);
      };
      child.on('message', listener);
      child.send(message);
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.send({ type: 'stop' } satisfies ParentMessage);
    });
  return new Promise((resolve, reject) => {
    const failed = (code: number | null) => reject(new Error(`bench/${script} exited (code ${code}) before it was ready`));
    child.once('exit', failed);
    child.once('message', (ready: ChildMessage) => {
      child.off('exit', failed);
      resolve({ process: child, ready, ask, stop });
    });
  });
}

/**
 * The V8 flags `npm start` gives the gateway (e.g. a larger young generation),
 * read from package.json so the gateway under test runs as users run it.
 */
export function startNodeFlags(): string[] {
  return startCommand().nodeFlags;
}

/**
 * The variables `npm start` sets for the gateway (MALLOC_ARENA_MAX), from the
 * package.json above `buildRoot` (this checkout's by default; a BENCH_BASELINE
 * build's own, which may set none); a value this process has wins, as in sh.
 */
export function startNodeEnv(buildRoot?: string): Record<string, string> {
  return startCommand(buildRoot).env;
}

/** What a child answers to {type: 'usage'}: its own CPU time and RSS. */
export const usageMessage = (): Extract<ChildMessage, { type: 'usage' }> => {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return { type: 'usage', userMicros: cpu.user, systemMicros: cpu.system, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed };
};
