import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dirs.js';
import { ensureBuilt, ROOT, shellEnv } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/**
 * A stop signal while the gateway is still starting (here: held on a Redis that takes the
 * connection and never answers) ended the process at node's default, without a line: an
 * operator saw a replica vanish. It now says the signal and the phase, and exits 0.
 */
const CONFIG = (() => {
  const path = join(temp.make('bg-signal-starting-'), 'config.yaml');
  writeFileSync(path, 'allowAnonymous: true\nlisten: { host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token-0000 } }\n');
  return path;
})();

/** A TCP server that takes connections and never answers: a Redis that hangs the start. */
async function silentRedis(): Promise<{ server: Server; port: number; connected: Promise<void>; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  let heard!: () => void;
  const connected = new Promise<void>((resolve) => (heard = resolve));
  const server = createServer((socket) => {
    sockets.push(socket);
    heard();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, connected, sockets };
}

async function stopWhileConnecting(signal: NodeJS.Signals, logFormat: 'json' | 'pretty') {
  ensureBuilt();
  const redis = await silentRedis();
  const child = spawn(process.execPath, ['dist/main.js', '--config', CONFIG], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: shellEnv({ PORT: '0', LOG_FORMAT: logFormat, REDIS_URL: `redis://127.0.0.1:${redis.port}/0` }) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, exitSignal) => resolve({ code, signal: exitSignal })));
  try {
    await redis.connected;
    child.kill(signal);
    return { ...(await exited), stdout, stderr };
  } finally {
    child.kill('SIGKILL');
    for (const socket of redis.sockets) socket.destroy();
    redis.server.close();
  }
}

describe('a stop signal while the gateway is still starting', () => {
  it('SIGTERM while Redis holds the start, JSON logs: exit 0, one line on stderr and one warn event naming the signal and the phase', async () => {
    const result = await stopWhileConnecting('SIGTERM', 'json');
    expect(result).toMatchObject({ code: 0, signal: null });
    const line = 'backup-graph stopped by SIGTERM while starting (connecting to Redis): not started, nothing was served';
    expect(result.stderr).toBe(`${line}\n`);
    const events = result.stdout.split('\n').filter((text) => text !== '').map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(events.at(-1)).toMatchObject({ level: 40, msg: line, signal: 'SIGTERM', phase: 'connecting to Redis', exitCode: 0, service: 'backup-graph' });
    expect(events.filter((event) => (event.level as number) >= 50)).toEqual([]);
  }, 60_000);

  it('SIGINT, pretty logs (a terminal): the line on stderr, exit 0', async () => {
    const result = await stopWhileConnecting('SIGINT', 'pretty');
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.stderr).toBe('backup-graph stopped by SIGINT while starting (connecting to Redis): not started, nothing was served\n');
  }, 60_000);
});
