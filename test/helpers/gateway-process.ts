import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { ensureBuilt } from '../server/process.js';
import { eventually } from './harness.js';

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
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `backup-graph --config FILE` as a real process listening on
 * 127.0.0.1:`port` and resolves once /healthz answers.
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
        return fetch(`${url}/healthz`).then(
          (response) => response.ok,
          () => false,
        );
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
