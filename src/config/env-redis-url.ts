import { ConfigError } from './config-error.js';
import { envValue } from './env-secret-files.js';

/**
 * REDIS_URL, or undefined when unset or empty (no Redis). One that is not a
 * redis:// or rediss:// URL with a host, and a database number if any, stops
 * the start (exit 2) naming the variable, never quoting it: it may hold a
 * password. ioredis took `redis://` (a host lost to a templating slip) as
 * localhost, so a replica shared nothing with the others without a word; read
 * `/abc` as database NaN; took `redis:/host:6379` or `http://host` as a Unix
 * socket path; and threw a bare "Invalid URL" for `redis://host:63x9`.
 */
export function envRedisUrl(env: NodeJS.ProcessEnv): string | undefined {
  const setting = envRedisUrlSetting(env);
  // Or from the file REDIS_URL_FILE names, as the config's ${NAME}: a URL with a password is a
  // secret, and a Kubernetes Secret or Docker secret mounted as a file keeps it out of the environment.
  const read = envValue('REDIS_URL', env);
  if (read !== undefined && 'problem' in read) throw new ConfigError([`REDIS_URL: ${read.problem}`]);
  const value = read?.value;
  if (value === undefined || value === '') return undefined;
  if (!isRedisUrl(value)) {
    const named = setting === 'REDIS_URL' ? 'REDIS_URL:' : 'REDIS_URL_FILE: the URL in the file it names';
    throw new ConfigError([`${named} must be redis://[user:password@]host[:port][/db] or rediss:// (TLS) with the same parts (its value is not shown: it may hold a password)`]);
  }
  return value;
}

function isRedisUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  // URL trims spaces around the text, ioredis does not: the text must be exactly what was parsed.
  if (value !== value.trim()) return false;
  return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' && /^(?:\/\d{0,5})?$/.test(url.pathname);
}

/** Which variable gave the URL: the systemd unit and Docker secrets give REDIS_URL_FILE alone. */
export type RedisUrlSetting = 'REDIS_URL' | 'REDIS_URL_FILE';

/** The variable a problem with the URL names (both set is refused before any URL is read). */
export function envRedisUrlSetting(env: NodeJS.ProcessEnv): RedisUrlSetting {
  return env.REDIS_URL === undefined && env.REDIS_URL_FILE !== undefined ? 'REDIS_URL_FILE' : 'REDIS_URL';
}
