import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { ROOT, ensureBuilt } from './process.js';

const temp = tempDirs();
const redis = await testRedis();
afterAll(async () => {
  temp.removeAll();
  await redis.stop();
});

const CONFIG = `allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }\n`;

/**
 * The systemd unit hands the Redis URL over only as REDIS_URL_FILE. A login Redis refused said
 * "(REDIS_URL_FILE): WRONGPASS: Redis refused REDIS_URL's user or password": the start's own
 * words named the file, Redis's meaning a variable the unit never sets.
 */
describe.skipIf(!redis.url)(redisSuite('a Redis login refused for the URL in REDIS_URL_FILE names no REDIS_URL', redis), () => {
  it('says the URL\'s user or password, never REDIS_URL nor the password', () => {
    ensureBuilt();
    const { hostname, port } = new URL(redis.url as string);
    const dir = temp.make('bg-redis-url-file-login-');
    const config = join(dir, 'config.yaml');
    const urlFile = join(dir, 'redis_url');
    writeFileSync(config, CONFIG);
    // A user no Redis has: WRONGPASS whether or not it asks for a password.
    writeFileSync(urlFile, `redis://no-such-user-of-backup-graph:s3cret-pass@${hostname}:${port}/0\n`, { mode: 0o600 });
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', REDIS_URL_FILE: urlFile };
    delete env.REDIS_URL;
    const result = spawnSync(process.execPath, ['dist/main.js', '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `backup-graph failed to start: Redis at ${hostname}:${port} refused the gateway's login (REDIS_URL_FILE): WRONGPASS: Redis refused the URL's user or password; correct the user and password in the URL in the file REDIS_URL_FILE names, or unset REDIS_URL_FILE to keep the shared state in this process (one replica only: replicas without Redis do not share it)`,
    );
    expect(result.stderr + result.stdout).not.toMatch(/REDIS_URL(?!_FILE)/);
    expect(result.stderr + result.stdout).not.toContain('s3cret-pass');
  }, 120_000);
});
