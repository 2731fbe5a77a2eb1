import type { Logger } from 'pino';
import type { RedisUrlSetting } from '../config/env-redis-url.js';
import { connectionTroubleOf, type WatchedConnection } from '../state/redis-connection-trouble.js';

/**
 * What the operation bus's own Redis connections log when they lose Redis and get it back. The
 * bus's failures reach only the operation watcher, which polls alone when the bus fails and
 * says nothing: a replica whose bus lost Redis kept its subscribers from other replicas'
 * statuses without a line. Named as the store's lines name it (ECONNREFUSED at 127.0.0.1:6379:
 * nothing listens there...), from the code and socket address alone: never the URL's password.
 */
export const BUS_REDIS_LOST = 'operation bus lost its Redis connection: each operation this replica watches is polled here alone, and its subscribers miss the statuses other replicas poll';
export const BUS_REDIS_BACK = 'operation bus has its Redis connection again';

/**
 * One line per kind of trouble per outage (ioredis retries, each retry another 'error' of the
 * same kind): a line when the trouble starts or changes (refused, then a wrong password), one
 * when the connection is ready again. `connection` names which of the bus's connections;
 * `setting`, the variable the URL came from, is what the meaning tells an operator to correct.
 */
export function logBusConnection(redis: WatchedConnection, connection: string, logger: Logger, setting: RedisUrlSetting = 'REDIS_URL'): () => void {
  let told: string | undefined;
  const failed = (error?: unknown): void => {
    const trouble = connectionTroubleOf(error, setting);
    if (trouble === undefined || trouble.code === told) return;
    told = trouble.code;
    logger.warn({ redisConnection: connection, failure: trouble.code, connection: trouble.detail }, BUS_REDIS_LOST);
  };
  const ready = (): void => {
    if (told === undefined) return;
    told = undefined;
    logger.info({ redisConnection: connection }, BUS_REDIS_BACK);
  };
  redis.on('error', failed);
  redis.on('ready', ready);
  return () => {
    redis.off('error', failed);
    redis.off('ready', ready);
  };
}
