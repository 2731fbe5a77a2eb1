import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { envRedisUrl } from '../../src/config/env-redis-url.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

describe('REDIS_URL', () => {
  it('unset or empty: no Redis; a redis:// or rediss:// URL with a host is taken as written', () => {
    expect(envRedisUrl({})).toBeUndefined();
    expect(envRedisUrl({ REDIS_URL: '' })).toBeUndefined();
    for (const url of ['redis://127.0.0.1:6379', 'redis://redis', 'rediss://:s3cret@cache.example:6380/2', 'redis://user:pw@[::1]:6379/0', 'redis://h:6379/', 'redis://h?family=6']) {
      expect(envRedisUrl({ REDIS_URL: url }), url).toBe(url);
    }
  });

  it('anything else stops the start naming the variable, never quoting it (it may hold a password)', () => {
    // ioredis took `redis://` and `redis://:pw@` as localhost, `/abc` as database NaN, and
    // `redis:/host:6379` or `http://host` as a Unix socket path; `redis://h:63x9` threw "Invalid URL".
    for (const url of ['redis://', 'redis://:s3cret@', 'redis:/10.1.2.3:6379', 'redis//10.1.2.3:6379', 'http://10.1.2.3:6379', 'redis://h:6379/abc', 'redis://h:6379/2/3', 'redis://h:63x9', 'h:6379', ' redis://h']) {
      expect(() => envRedisUrl({ REDIS_URL: url }), url).toThrow(ConfigError);
      expect(() => envRedisUrl({ REDIS_URL: url }), url).toThrow('REDIS_URL: must be redis://[user:password@]host[:port][/db] or rediss:// (TLS)');
      try {
        envRedisUrl({ REDIS_URL: url });
      } catch (error) {
        expect((error as ConfigError).problems.join('\n')).not.toContain('s3cret');
      }
    }
  });

  it('REDIS_URL_FILE: the URL read from a file (a Secret mounted as one), less its last newline, checked the same way', () => {
    const folder = temp.make('bg-redis-url-file-');
    const file = join(folder, 'redis-url');
    writeFileSync(file, 'rediss://:s3cret@cache.example:6380/2\n');
    expect(envRedisUrl({ REDIS_URL_FILE: file })).toBe('rediss://:s3cret@cache.example:6380/2');
    writeFileSync(file, 'http://:s3cret@cache.example:6380\n');
    expect(() => envRedisUrl({ REDIS_URL_FILE: file })).toThrow('REDIS_URL_FILE: the URL in the file it names must be redis://');
    const problems = (env: NodeJS.ProcessEnv): string => {
      try {
        envRedisUrl(env);
      } catch (error) {
        return (error as ConfigError).problems.join('\n');
      }
      return 'no problem';
    };
    const missing = join(folder, 'not-mounted');
    expect(problems({ REDIS_URL_FILE: missing })).toBe(`REDIS_URL: cannot read REDIS_URL_FILE (${missing}): no such file: write the value into it, or unset REDIS_URL_FILE and set REDIS_URL`);
    expect(problems({ REDIS_URL: 'redis://h', REDIS_URL_FILE: file })).toBe('REDIS_URL: environment variables REDIS_URL and REDIS_URL_FILE are both set: unset one (REDIS_URL_FILE names a file holding the value)');
    expect(problems({ REDIS_URL_FILE: file })).not.toContain('s3cret');
  });
});
