import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { ROOT, ensureBuilt, shellEnv, start } from './process.js';

const redis = await testRedis();
afterAll(() => redis.stop());

const configFile = (): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'bg-config-')), 'config.yaml');
  writeFileSync(path, `allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }\n`);
  return path;
};

/** The database REDIS_URL names: refused by the Redis (an operator's typo, `/99` for `/9`), or said at start. */
describe.skipIf(!redis.url)(redisSuite('the database REDIS_URL names', redis), () => {
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
});
