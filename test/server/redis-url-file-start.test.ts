import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dirs.js';
import { ROOT, ensureBuilt } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

const CONFIG = `allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }\n`;

/** A config file and a REDIS_URL_FILE holding `url`, as the systemd unit hands the URL over (LoadCredential=). */
function startFiles(url: string): { config: string; urlFile: string } {
  const dir = temp.make('bg-redis-url-file-');
  const config = join(dir, 'config.yaml');
  const urlFile = join(dir, 'redis_url');
  writeFileSync(config, CONFIG);
  writeFileSync(urlFile, url, { mode: 0o600 });
  return { config, urlFile };
}

function startWith(urlFile: string, config: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', REDIS_URL_FILE: urlFile };
  delete env.REDIS_URL;
  return spawnSync(process.execPath, ['dist/main.js', '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env });
}

/**
 * The systemd unit gives the URL only as REDIS_URL_FILE. The start's Redis problems said
 * "(REDIS_URL) ...; correct REDIS_URL, or leave REDIS_URL unset": a variable the unit never
 * sets, so an operator searched its env files for it and found nothing to correct.
 */
describe('a Redis URL read from REDIS_URL_FILE: the start names that variable', () => {
  it('names REDIS_URL_FILE, not REDIS_URL, when the Redis it names does not answer; never the password', async () => {
    ensureBuilt();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    const { config, urlFile } = startFiles(`redis://:s3cret-pass@127.0.0.1:${port}/0\n`);
    const result = startWith(urlFile, config);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `backup-graph failed to start: cannot reach Redis at 127.0.0.1:${port} (REDIS_URL_FILE): ECONNREFUSED; start it, correct the URL in the file REDIS_URL_FILE names, or unset REDIS_URL_FILE to keep the shared state in this process (one replica only: replicas without Redis do not share it)`,
    );
    expect(result.stderr + result.stdout).not.toContain('s3cret-pass');
  }, 120_000);

  it('names REDIS_URL_FILE when the URL in the file is no redis:// URL', () => {
    ensureBuilt();
    const { config, urlFile } = startFiles('http://127.0.0.1:6379/\n');
    const result = startWith(urlFile, config);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      'REDIS_URL_FILE: the URL in the file it names must be redis://[user:password@]host[:port][/db] or rediss:// (TLS) with the same parts (its value is not shown: it may hold a password)',
    );
  }, 120_000);
});
