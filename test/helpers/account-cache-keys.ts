import { Redis } from 'ioredis';

/**
 * The read cache keys in Redis of one account (`backup-graph:cache:...` holding the account id
 * between NULs, src/gateway/cache-generations.ts), by SCAN: redis-cli prints such a key only up
 * to its first NUL.
 */
export async function accountCacheKeys(redisUrl: string, accountId: string): Promise<string[]> {
  const redis = new Redis(redisUrl);
  try {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `backup-graph:cache:*\0${accountId}\0*`, 'COUNT', 1000);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
    return found;
  } finally {
    redis.disconnect();
  }
}
