import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { ensureBuilt } from '../server/process.js';
import { eventually } from './harness.js';
import { holdsListener, listenerHolders } from './listening-owner.js';

/** How a gateway process is started: the compiled build, as the container runs it. */
export const GATEWAY_COMMAND: readonly string[] = ['dist/main.js'];

export interface GatewayProcess {
  url: string;
  graphqlUrl: string;
  child: ChildProcess;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** What it printed, stdout and stderr together. */
  output(): string;
  /** Sends `signal` and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A loopback port free at this moment (for processes whose port must be known before they start). */
/** The lowest port the kernel hands out for a bind to port 0 (Linux's default range starts at 32768). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 2_048 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/** Whether 127.0.0.1:`port` can be bound now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A port free now, for a process the test starts later (a gateway, HAProxy's backends). Picked below the
 * kernel's ephemeral range: a port the kernel handed out for port 0 and took back was soon handed to the
 * next server listening on port 0 (a simulator, another test's admin listener) before the gateway bound
 * it, and the gateway's test then talked to that server (404 "not found" at /graphql).
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow() - 1;
  const low = Math.max(1_025, high - 12_000);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port found between ${low} and ${high}`);
}

/** A spawned gateway's port answered, but from another process: the port was taken before the gateway bound it. */
export class PortAnsweredByAnotherError extends Error {
  constructor(port: number, pid: number | undefined, holders: readonly string[], output: string) {
    const heldBy = holders.length > 0 ? `; the port is held by ${holders.join(', ')}` : '';
    super(`port ${port} answered but not from the spawned gateway (pid ${pid ?? 'unknown'})${heldBy}; the gateway's output so far:\n${output}`);
    this.name = 'PortAnsweredByAnotherError';
  }
}

/**
 * Starts `backup-graph --config FILE` as a real process listening on
 * 127.0.0.1:`port` and resolves once /healthz answers from that process: an answer from
 * another server that took the port first fails at once with PortAnsweredByAnotherError
 * (the test would otherwise talk to that server: 404 "not found" at /graphql). Where /proc
 * cannot tell who listens (not Linux), any answer is taken.
 */
export async function spawnGateway(options: { configFile: string; port: number; env?: NodeJS.ProcessEnv }): Promise<GatewayProcess> {
  ensureBuilt();
  const child = spawn(process.execPath, [...GATEWAY_COMMAND, '--config', options.configFile], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env, PORT: String(options.port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await eventually(
      async () => {
        if (exitCode !== undefined) throw new Error(`gateway exited (${exitCode}) before it was healthy:\n${output}`);
        const status = await fetch(`${url}/healthz`).then(
          (response) => response.status,
          () => 0,
        );
        // Any answer, a 404 too: whoever gave it listens there now.
        if (status !== 0) throwUnlessListening(child.pid, options.port, output);
        return status === 200;
      },
      (healthy) => healthy,
      { timeoutMs: 120_000, intervalMs: 100 },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    child,
    exited,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (exitCode === undefined) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Throws PortAnsweredByAnotherError unless process `pid` (or a process it started: a wrapper's
 * child) holds the socket listening on `port`. Called just after an answer on that port: a
 * gateway that answered listens until it stops, so a process without that socket did not answer.
 */
export function throwUnlessListening(pid: number | undefined, port: number, output: string): void {
  if (pid !== undefined && holdsListener(pid, port) !== false) return;
  throw new PortAnsweredByAnotherError(port, pid, listenerHolders(port), output);
}
