import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { eventually } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/**
 * The systemd unit hands the Redis URL over only as REDIS_URL_FILE. The start's errors named that
 * file, but once running, the store's and the operation bus's lines for a lost Redis said "the
 * wrong host or port in REDIS_URL": a variable the unit never sets. The gateway here reads the URL
 * from the file and connects through a port that is then closed (nothing listens at it).
 */
const redis = await testRedis();
const temp = tempDirs();
afterAll(async () => {
  temp.removeAll();
  await redis.stop();
});

const READ = '{ instances(first: 5) { totalCount } }';
const READ_CACHE_LINE = 'read cache store failed; reading from the providers';
/** In the URL in the file: the default user of a Redis without a password takes any password. */
const PASSWORD = 'url-file-password-5b2e9d';
const FROM_FILE = /^ECONNREFUSED at 127\.0\.0\.1:\d+: nothing listens there \(Redis stopped, or the wrong host or port in the URL in the file REDIS_URL_FILE names\)$/;

interface Line {
  msg?: string;
  failure?: string;
  connection?: string;
  redisConnection?: string;
}

describe.skipIf(!redis.url)(redisSuite('Redis lost while running, its URL from REDIS_URL_FILE: the lines name that file', redis), () => {
  let simulator: RunningSimulator;
  let proxy: RedisProxy;
  let gateway: GatewayProcess | undefined;

  const lines = (): Line[] =>
    (gateway as GatewayProcess)
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Line);

  beforeAll(async () => {
    simulator = await startSimulator('zomro');
    proxy = await startRedisProxy(redis.url as string);
    const dir = temp.make('bg-redis-url-file-runtime-');
    const configFile = join(dir, 'config.yaml');
    const urlFile = join(dir, 'redis_url');
    writeFileSync(
      configFile,
      JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, providers: [{ ...simulator.accountConfig('zomro-url-file'), cacheTtlMs: 60_000 }] }),
    );
    const { port, pathname } = new URL(proxy.url);
    writeFileSync(urlFile, `redis://default:${PASSWORD}@127.0.0.1:${port}${pathname}\n`, { mode: 0o600 });
    gateway = await spawnGateway({ configFile, port: await freePort(), env: { REDIS_URL: undefined, REDIS_URL_FILE: urlFile, LOG_LEVEL: 'info', LOG_FORMAT: 'json' } });
  }, 180_000);

  afterAll(async () => {
    gateway?.child.kill('SIGKILL');
    await proxy?.close();
    await simulator?.stop();
  });

  it("the store's and the bus's lines name the URL in the file REDIS_URL_FILE names, never REDIS_URL nor the password", async () => {
    const running = gateway as GatewayProcess;
    const read = async (): Promise<void> => {
      const answer = await fetch(running.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: READ }) });
      expect(answer.status).toBe(200);
    };
    await read();
    // The port closed: the connections drop and every reconnect is refused.
    await proxy.close();
    const refused = await eventually(
      async () => {
        await read();
        return lines().filter((line) => line.failure === 'ECONNREFUSED');
      },
      (found) => found.some((line) => line.msg === READ_CACHE_LINE) && new Set(found.map((line) => line.redisConnection).filter(Boolean)).size === 2,
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const store = refused.find((line) => line.msg === READ_CACHE_LINE)!;
    expect(store.connection).toMatch(FROM_FILE);
    for (const bus of refused.filter((line) => line.redisConnection !== undefined)) expect(bus.connection).toMatch(FROM_FILE);
    expect(running.output()).not.toMatch(/REDIS_URL(?!_FILE)/);
    expect(running.output()).not.toContain(PASSWORD);
  }, 90_000);
});
