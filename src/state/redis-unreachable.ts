/**
 * Why the start stopped when Redis did not answer, in words an operator can act on. ioredis
 * said only "Connection is closed." (no Redis, no REDIS_URL, no address), read as the gateway's
 * own fault. The address is the URL's host and port alone: the URL may hold a password.
 */
export function redisUnreachableMessage(redisUrl: string, cause: unknown): string {
  const url = new URL(redisUrl);
  const address = `${url.hostname}:${url.port || '6379'}`;
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  // A Redis refusal (NOAUTH, WRONGPASS) is Redis's own short text; a socket error is named by its code.
  const why = typeof code === 'string' ? code : typeof message === 'string' && message !== '' ? message.split('\n')[0]!.slice(0, 200) : 'no answer';
  return `cannot reach Redis at ${address} (REDIS_URL): ${why}; start it, correct REDIS_URL, or leave REDIS_URL unset to keep the shared state in this process`;
}
