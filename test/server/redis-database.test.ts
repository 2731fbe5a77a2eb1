import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { ROOT, ensureBuilt } from './process.js';

const redis = await testRedis();
afterAll(() => redis.stop());

/** REDIS_URL naming a database the Redis does not have: an operator's typo (`/99` for `/9`). */
describe.skipIf(!redis.url)(redisSuite('a REDIS_URL database the Redis does not have', redis), () => {
  it('stops the start naming the database, REDIS_URL and what to do (ioredis went on in database 0, shared with whatever lives there)', () => {
    ensureBuilt();
    const url = new URL(redis.url as string);
    url.pathname = '/99';
    const config = join(mkdtempSync(join(tmpdir(), 'bg-config-')), 'config.yaml');
    writeFileSync(config, `allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }\n`);
    const result = spawnSync(process.execPath, ['dist/main.js', '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: '0', REDIS_URL: url.href } });
    expect(result.stdout).not.toContain('shared state in Redis');
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `backup-graph failed to start: Redis at ${url.hostname}:${url.port || '6379'} refused database 99 (REDIS_URL): ERR DB index is out of range; name a database it has (0 to its databases setting less one, 0-15 by default)`,
    );
  }, 120_000);
});
