import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from './harness.js';
import { freePort } from './gateway-process.js';

/** The config compose runs, used here as it is (its addresses come from the environment). */
export const HAPROXY_CONFIG = fileURLToPath(new URL('../../deploy/haproxy.cfg', import.meta.url));

/** Whether the haproxy binary is installed (CI installs it; Debian package `haproxy`). */
export const haproxyInstalled = (): boolean => spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0;

export interface RunningHaproxy {
  url: string;
  graphqlUrl: string;
  /** Each server's status as HAProxy sees it now: UP, DOWN, ... */
  serverStatus(): Promise<Record<string, string>>;
  /** Resolves once HAProxy says `server` is `status`. */
  waitFor(server: string, status: 'UP' | 'DOWN'): Promise<void>;
  stop(): Promise<void>;
}

/** HAProxy on free loopback ports in front of `servers` (host:port each, gateway-1 then gateway-2). */
export async function startHaproxy(options: { servers: [string, string]; checkInter: string }): Promise<RunningHaproxy> {
  const [port, statsPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', HAPROXY_CONFIG], {
    env: {
      ...process.env,
      HAPROXY_BIND: `127.0.0.1:${port}`,
      HAPROXY_STATS: `127.0.0.1:${statsPort}`,
      GATEWAY_1: options.servers[0],
      GATEWAY_2: options.servers[1],
      CHECK_INTER: options.checkInter,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

  const serverStatus = async (): Promise<Record<string, string>> => {
    const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
    const [header, ...rows] = csv.trim().split('\n');
    const columns = (header ?? '').replace(/^# /, '').split(',');
    const [proxy, name, status] = ['pxname', 'svname', 'status'].map((column) => columns.indexOf(column)) as [number, number, number];
    const statuses: Record<string, string> = {};
    for (const row of rows) {
      const cells = row.split(',');
      if (cells[proxy] === 'gateways' && cells[name] !== 'BACKEND') statuses[cells[name] as string] = (cells[status] ?? '').split(' ')[0] as string;
    }
    return statuses;
  };
  const waitFor = async (server: string, status: 'UP' | 'DOWN') => {
    await eventually(
      () => serverStatus().catch(() => ({}) as Record<string, string>),
      (statuses) => statuses[server] === status,
      { timeoutMs: 20_000, intervalMs: 50 },
    ).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nhaproxy said:\n${output}`);
    });
  };
  return {
    url: `http://127.0.0.1:${port}`,
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    serverStatus,
    waitFor,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
