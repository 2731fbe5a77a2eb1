import type { RedisUrlSetting } from '../config/env-redis-url.js';

/**
 * Why a Redis connection is down, as ioredis last told it, for the store's failure lines. With
 * Redis stopped every call failed by our wait or ioredis's retries ("did not answer within 250
 * ms", "max retries per request"), and the lines read as a slow Redis; the refused connection
 * behind them was told only to the connection's 'error' listener, which kept it to itself.
 */

/** A connection's last error: its code (ECONNREFUSED, WRONGPASS...) and what it means, in a line. */
export interface ConnectionTrouble {
  code: string;
  /** `<code> at <address>: <meaning>`, built from the code and the socket's address alone, never the error's text (the URL's password). */
  detail: string;
}

/** What trouble reading needs of an ioredis connection. */
export interface WatchedConnection {
  readonly status: string;
  on(event: 'error' | 'ready', listener: (error?: unknown) => void): unknown;
  off(event: 'error' | 'ready', listener: (error?: unknown) => void): unknown;
}

/** How a meaning names the URL, by the variable it came from (env-redis-url.ts envRedisUrlSetting). */
interface UrlWords {
  /** `REDIS_URL`, or the URL in the file REDIS_URL_FILE names. */
  theUrl: string;
  /** `REDIS_URL's host name`, or the host name of the URL in that file. */
  hostName: string;
  /** `REDIS_URL's user`, or the user of the URL in that file. */
  user: string;
  /** `REDIS_URL's user or password`, or the user or password of the URL in that file. */
  userOrPassword: string;
}

/**
 * The systemd unit and Docker secrets set REDIS_URL_FILE alone: "the wrong host or port in
 * REDIS_URL" sent an operator to a variable set nowhere (the start's own words name the file:
 * redis-unreachable.ts).
 */
const URL_WORDS: Readonly<Record<RedisUrlSetting, UrlWords>> = {
  REDIS_URL: { theUrl: 'REDIS_URL', hostName: "REDIS_URL's host name", user: "REDIS_URL's user", userOrPassword: "REDIS_URL's user or password" },
  REDIS_URL_FILE: {
    theUrl: 'the URL in the file REDIS_URL_FILE names',
    hostName: 'the host name of the URL in the file REDIS_URL_FILE names',
    user: 'the user of the URL in the file REDIS_URL_FILE names',
    userOrPassword: 'the user or password of the URL in the file REDIS_URL_FILE names',
  },
};

const MEANINGS: Readonly<Record<string, (words: UrlWords) => string>> = {
  ECONNREFUSED: (w) => `nothing listens there (Redis stopped, or the wrong host or port in ${w.theUrl})`,
  ENOTFOUND: (w) => `${w.hostName} does not resolve`,
  EAI_AGAIN: (w) => `${w.hostName} could not be resolved now (DNS failing)`,
  ETIMEDOUT: () => 'the connection was not made in time (a host down, a firewall dropping packets)',
  ECONNRESET: () => 'the connection was reset (Redis restarting, or a proxy or firewall closing it)',
  EPIPE: () => 'the connection was closed while writing to it',
  EHOSTUNREACH: () => 'no route to the host',
  ENETUNREACH: () => 'no route to the network',
  NOAUTH: (w) => `Redis asks for a password and ${w.theUrl} gives none`,
  WRONGPASS: (w) => `Redis refused ${w.userOrPassword}`,
  NOPERM: (w) => `${w.user} may not run the commands the gateway sends`,
  LOADING: () => 'Redis is loading its data set from disk',
  MASTERDOWN: () => 'the replica lost its primary',
};

/** Redis's refusals (a ReplyError) name themselves in their first word. */
const REPLY_CODE = /^([A-Z][A-Z_]{2,29})\b/;
/** A socket's code (ECONNREFUSED) or a TLS one; node's other ERR_ codes are a caller's mistake, no connection's. */
const SYSTEM_CODE = /^(?!ERR_)E[A-Z_]{2,29}$|^ERR_(SSL|TLS)_[A-Z0-9_]{1,40}$/;
/** An address as the socket gives it: an IPv4 or IPv6 literal, or a host name. */
const ADDRESS = /^[A-Za-z0-9.:_-]{1,255}$/;

/**
 * The trouble an ioredis 'error' tells, or undefined for one that says nothing of the connection;
 * its meaning names the variable the URL came from, `setting`.
 */
export function connectionTroubleOf(error: unknown, setting: RedisUrlSetting = 'REDIS_URL'): ConnectionTrouble | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, address, port, hostname } = error as { code?: unknown; address?: unknown; port?: unknown; hostname?: unknown };
  const systemCode = typeof code === 'string' && SYSTEM_CODE.test(code) ? code : undefined;
  const replyCode = error.name === 'ReplyError' ? REPLY_CODE.exec(error.message)?.[1] : undefined;
  const found = systemCode ?? replyCode;
  if (found === undefined) return undefined;
  const meaning = MEANINGS[found]?.(URL_WORDS[setting]) ?? (systemCode ? 'the connection failed' : 'Redis refused the connection');
  const host = typeof address === 'string' && ADDRESS.test(address) ? address : typeof hostname === 'string' && ADDRESS.test(hostname) ? hostname : undefined;
  const at = host === undefined ? '' : ` at ${host}${typeof port === 'number' ? `:${port}` : ''}`;
  return { code: found, detail: `${found}${at}: ${meaning}` };
}

/** Each watched connection and its last trouble since it was last ready. */
const watched = new Map<WatchedConnection, ConnectionTrouble | undefined>();

/** Keeps `redis`'s last connection error (named for `setting`) until it is ready again; the returned function stops. */
export function watchConnection(redis: WatchedConnection, setting: RedisUrlSetting = 'REDIS_URL'): () => void {
  const failed = (error?: unknown): void => {
    const trouble = connectionTroubleOf(error, setting);
    if (trouble && watched.has(redis)) watched.set(redis, trouble);
  };
  const ready = (): void => {
    if (watched.has(redis)) watched.set(redis, undefined);
  };
  watched.set(redis, undefined);
  redis.on('error', failed);
  redis.on('ready', ready);
  return () => {
    watched.delete(redis);
    redis.off('error', failed);
    redis.off('ready', ready);
  };
}

/**
 * The trouble of a watched connection that is not up now, if any. The failure lines are told only
 * the failed call, not its connection: a process holds one gateway and one store connection, so
 * any watched connection down is the one. One that is up answers none: a call that failed on it
 * met a slow Redis, and its line keeps saying timeout.
 */
export function currentConnectionTrouble(): ConnectionTrouble | undefined {
  for (const [redis, trouble] of watched) if (trouble !== undefined && redis.status !== 'ready') return trouble;
  return undefined;
}
