import type { RedisUrlSetting } from '../config/env-redis-url.js';
import { connectionTroubleOf } from './redis-connection-trouble.js';

/**
 * Why the start stopped when Redis did not answer, in words an operator can act on. ioredis
 * said only "Connection is closed." (no Redis, no REDIS_URL, no address), read as the gateway's
 * own fault. The address is the URL's host and port alone: the URL may hold a password.
 */
export function redisUnreachableMessage(redisUrl: string, cause: unknown, setting: RedisUrlSetting = 'REDIS_URL'): string {
  const words = SETTING_WORDS[setting];
  const address = redisAddress(redisUrl);
  const refusedLogin = loginRefusal(cause, setting);
  // Reached and refused: "cannot reach ...; start it" sent an operator to start a running Redis.
  if (refusedLogin !== undefined) {
    return `Redis at ${address} refused the gateway's login (${setting}): ${refusedLogin}; correct the user and password in ${words.theUrl}, or ${words.unset} ${WITHOUT_REDIS}`;
  }
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  // A Redis refusal (NOAUTH, WRONGPASS) is Redis's own short text; a socket error is named by its code.
  const why = typeof code === 'string' ? code : typeof message === 'string' && message !== '' ? message.split('\n')[0]!.slice(0, 200) : 'no answer';
  return `cannot reach Redis at ${address} (${setting}): ${why}${tlsHint(redisUrl, why)}; start it, correct ${words.theUrl}, or ${words.unset} ${WITHOUT_REDIS}`;
}

/**
 * The variable the URL came from, as the operator must change it: the systemd unit sets only
 * REDIS_URL_FILE (LoadCredential=), where "correct REDIS_URL" named a variable nowhere set.
 */
const SETTING_WORDS: Readonly<Record<RedisUrlSetting, { theUrl: string; unset: string }>> = {
  REDIS_URL: { theUrl: 'REDIS_URL', unset: 'leave REDIS_URL unset' },
  REDIS_URL_FILE: { theUrl: 'the URL in the file REDIS_URL_FILE names', unset: 'unset REDIS_URL_FILE' },
};

/** Running without Redis is right for one replica alone: two would each keep their own records and limits. */
const WITHOUT_REDIS = 'to keep the shared state in this process (one replica only: replicas without Redis do not share it)';

/** Redis's refusals of REDIS_URL's user or password, as the store's failure lines word them. */
const LOGIN_REFUSALS: ReadonlySet<string> = new Set(['NOAUTH', 'WRONGPASS']);

/**
 * What a refusal means where the URL came from REDIS_URL_FILE, short: the line names
 * "(REDIS_URL_FILE)" and "the URL in the file REDIS_URL_FILE names" already, where the
 * connection's own words (redis-connection-trouble.ts) would name the file a third time.
 */
const FILE_LOGIN_MEANINGS: Readonly<Record<string, string>> = {
  NOAUTH: 'Redis asks for a password and the URL gives none',
  WRONGPASS: "Redis refused the URL's user or password",
};

/** `WRONGPASS: <what it means>` where Redis refused the login, from the code alone (never the URL). */
function loginRefusal(cause: unknown, setting: RedisUrlSetting): string | undefined {
  const trouble = connectionTroubleOf(cause);
  if (trouble === undefined || !LOGIN_REFUSALS.has(trouble.code)) return undefined;
  return setting === 'REDIS_URL_FILE' ? `${trouble.code}: ${FILE_LOGIN_MEANINGS[trouble.code]}` : trouble.detail;
}

/**
 * A database number the Redis does not have (past its `databases`, 16 by default). ioredis only
 * emitted the refusal of its SELECT and went on in database 0, so the replica said "shared state
 * in Redis" and shared it with whatever else lives in database 0.
 */
export function redisDatabaseRefusedMessage(redisUrl: string, database: number, cause: unknown, setting: RedisUrlSetting = 'REDIS_URL'): string {
  const { message } = (cause ?? {}) as { message?: unknown };
  const why = typeof message === 'string' && message !== '' ? message.split('\n')[0]!.slice(0, 200) : 'refused';
  return `Redis at ${redisAddress(redisUrl)} refused database ${database} (${setting}): ${why}; name a database it has (0 to its databases setting less one, 0-15 by default)`;
}

/** Host and port alone: the URL may hold a password. */
function redisAddress(redisUrl: string): string {
  const url = new URL(redisUrl);
  return `${url.hostname}:${url.port || '6379'}`;
}

/** Host, port and database (`127.0.0.1:6379/2`): the URL without its user and password. */
export function redisWhere(redisUrl: string): string {
  const database = Number(new URL(redisUrl).pathname.slice(1) || '0');
  return `${redisAddress(redisUrl)}/${database}`;
}

/**
 * rediss:// at a Redis without TLS: the handshake's first bytes hold no line end, so Redis waits
 * for the rest of a command and the connection times out (ETIMEDOUT, some 10 s) with no word of TLS.
 */
function tlsHint(redisUrl: string, why: string): string {
  if (new URL(redisUrl).protocol !== 'rediss:' || why !== 'ETIMEDOUT') return '';
  return ' (rediss:// speaks TLS: if this Redis does not, use redis://)';
}
