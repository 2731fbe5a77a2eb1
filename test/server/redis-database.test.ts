import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { ROOT, ensureBuilt, shellEnv, start } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

const redis = await testRedis();
afterAll(() => redis.stop());

const configFile = (): string => {
  const path = join(temp.make('bg-config-'), 'config.yaml');
  writeFileSync(path, `allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }\n`);
  return path;
};

/** What REDIS_URL names, as an operator gets it wrong: a database the Redis lacks (`/99` for `/9`), rediss:// at a Redis without TLS. */
describe.skipIf(!redis.url)(redisSuite('REDIS_URL at start: which Redis, which database, which protocol', redis), () => {
  it('stops the start naming the database, REDIS_URL and what to do (ioredis went on in database 0, shared with whatever lives there)', () => {
    ensureBuilt();
    const url = new URL(redis.url as string);
    url.pathname = '/99';
    const config = configFile();
    const result = spawnSync(process.execPath, ['dist/main.js', '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: '0', REDIS_URL: url.href } });
    expect(result.stdout).not.toContain('shared state in Redis');
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `backup-graph failed to start: Redis at ${url.hostname}:${url.port || '6379'} refused database 99 (REDIS_URL): ERR DB index is out of range; name a database it has (0 to its databases setting less one, 0-15 by default)`,
    );
  }, 120_000);

  it('says at start which Redis and database the replica shares its state in, never the URL', async () => {
    ensureBuilt();
    const url = new URL(redis.url as string);
    url.pathname = '/3';
    const gateway = start(process.execPath, ['dist/main.js', '--config', configFile()], shellEnv({ PORT: '0', REDIS_URL: url.href }));
    try {
      const [line] = await gateway.waitFor(/^.*shared state in Redis.*$/m);
      const where = `${url.hostname}:${url.port || '6379'}/3`;
      expect(JSON.parse(line)).toMatchObject({ redis: where, msg: `shared state in Redis at ${where}` });
      if (url.password) expect(line).not.toContain(url.password);
    } finally {
      gateway.kill();
    }
  }, 120_000);

  it('says Redis refused the login, not that it cannot be reached, when REDIS_URL names a user or password it refuses; never the password', () => {
    ensureBuilt();
    const url = new URL(redis.url as string);
    // A user no Redis has: WRONGPASS from any Redis 6+, with or without a password of its own.
    url.username = `bg-no-such-user-${process.pid}`;
    url.password = 's3cret-pass-wrong';
    const result = spawnSync(process.execPath, ['dist/main.js', '--config', configFile()], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: '0', REDIS_URL: url.href } });
    expect(result.status).toBe(1);
    // It read "cannot reach Redis ... WRONGPASS ...; start it, ...": a running Redis, told to start.
    expect(result.stderr.trim()).toBe(
      `backup-graph failed to start: Redis at ${url.hostname}:${url.port || '6379'} refused the gateway's login (REDIS_URL): WRONGPASS: Redis refused REDIS_URL's user or password; correct the user and password in REDIS_URL, or leave REDIS_URL unset to keep the shared state in this process (one replica only: replicas without Redis do not share it)`,
    );
    expect(result.stderr + result.stdout).not.toContain('s3cret-pass-wrong');
  }, 120_000);

  it('says a rediss:// URL may be the reason when a Redis without TLS lets the handshake time out', () => {
    ensureBuilt();
    const url = new URL(redis.url as string);
    if (url.protocol === 'rediss:') return;
    url.protocol = 'rediss:';
    const result = spawnSync(process.execPath, ['dist/main.js', '--config', configFile()], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, PORT: '0', REDIS_URL: url.href } });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `backup-graph failed to start: cannot reach Redis at ${url.hostname}:${url.port || '6379'} (REDIS_URL): ETIMEDOUT (rediss:// speaks TLS: if this Redis does not, use redis://); start it, correct REDIS_URL, or leave REDIS_URL unset to keep the shared state in this process (one replica only: replicas without Redis do not share it)`,
    );
  }, 120_000);
});
