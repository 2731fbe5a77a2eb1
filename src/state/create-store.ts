import type { Logger } from 'pino';
import type { RedisUrlSetting } from '../config/env-redis-url.js';
import { MemoryStore } from './memory-store.js';
import { redisWhere } from './redis-unreachable.js';
import type { KeyValueStore } from './store.js';

/** Redis when REDIS_URL is set, process memory otherwise. */
export async function createStore(redisUrl: string | undefined, logger: Logger, urlSetting: RedisUrlSetting = 'REDIS_URL'): Promise<KeyValueStore> {
  if (!redisUrl) return new MemoryStore();
  const { RedisStore } = await import('./redis-store.js');
  const store = new RedisStore(redisUrl, undefined, urlSetting);
  await store.ready();
  // Where, so an operator can tell the replicas share one Redis database; never the URL (its password).
  const where = redisWhere(redisUrl);
  logger.info({ redis: where }, `shared state in Redis at ${where}`);
  return store;
}
