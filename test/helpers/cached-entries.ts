import type { Redis } from 'ioredis';
import { decodeStored, encodeStored } from '../../src/state/stored-json.js';

/**
 * A read cache entry as it sits in Redis (src/gateway/cache-generations.ts): one key holding the
 * list and the generation its read started under. For tests that play another writer's list.
 */
interface StoredEntry {
  generation: string;
  list: unknown;
}

async function entryAt(raw: Redis, key: string): Promise<StoredEntry> {
  const text = await raw.get(key);
  if (text === null) throw new Error(`no cached entry at ${key}`);
  return decodeStored<StoredEntry>(text);
}

/** The list the entry at `key` holds. */
export async function cachedListAt<T>(raw: Redis, key: string): Promise<T[]> {
  return (await entryAt(raw, key)).list as T[];
}

/** Puts `list` in the entry at `key` in place of its own, under the entry's generation and TTL: served as if the cache had read it. */
export async function replaceCachedList(raw: Redis, key: string, list: unknown): Promise<void> {
  const { generation } = await entryAt(raw, key);
  await raw.set(key, encodeStored({ generation, list }), 'KEEPTTL');
}
