import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

/**
 * Redis for the tests that need one, found or made so a fresh clone runs them:
 * REDIS_URL when set; else 127.0.0.1:6379 when it answers; else a
 * `redis-server` child on a free loopback port when the binary is installed
 * (stopped after the file's tests); else none, and `reason` says why
 * (those tests are then reported skipped, with it in their name).
 * Tests keep their keys apart with a unique key prefix.
 */
export interface TestRedis {
  url: string | null;
  /** Where the URL came from, or why there is none. */
  reason: string;
  stop(): Promise<void>;
}

const answers = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, host);
    socket.setTimeout(1_000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG') || data.toString().startsWith('-NOAUTH'));
    });
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

async function startRedisServer(): Promise<{ child: ChildProcess; port: number } | null> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) return null;
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Poll until it answers: redis-server has no readiness signal on a pipe.
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) return null;
    if (await answers('127.0.0.1', port)) return { child, port };
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 50))]);
  }
  child.kill('SIGKILL');
  return null;
}

export async function testRedis(): Promise<TestRedis> {
  const none = async () => {};
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, reason: 'REDIS_URL', stop: none };
  if (await answers('127.0.0.1', 6379)) return { url: 'redis://127.0.0.1:6379', reason: 'redis on 127.0.0.1:6379', stop: none };
  const started = await startRedisServer();
  if (!started) return { url: null, reason: 'no Redis: REDIS_URL unset, nothing on 127.0.0.1:6379, no redis-server binary (apt-get install redis-server)', stop: none };
  return {
    url: `redis://127.0.0.1:${started.port}`,
    reason: `redis-server started on port ${started.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (started.child.exitCode !== null) return resolve();
        started.child.once('exit', () => resolve());
        started.child.kill('SIGTERM');
      }),
  };
}

/** The describe name of a Redis suite: says why it is skipped when it is. */
export const redisSuite = (name: string, redis: TestRedis): string => (redis.url ? name : `${name} [skipped: ${redis.reason}]`);
