import type { Logger } from 'pino';
import { MemoryStore } from './memory-store.js';
import type { KeyValueStore } from './store.js';

/** Redis when REDIS_URL is set, process memory otherwise. */
export async function createStore(redisUrl: string | undefined, logger: Logger): Promise<KeyValueStore> {
  if (!redisUrl) return new MemoryStore();
  const { RedisStore } = await import('./redis-store.js');
  const store = new RedisStore(redisUrl);
  await store.ready();
  logger.info('shared state in Redis');
  return store;
}
