import { answerWithinMs } from '../state/bounded-call.js';
import { growingLru } from '../state/growing-lru.js';
import type { KeyValueStore } from '../state/store.js';

/** One cached list: which account, which instance, which kind of list. */
export interface CacheAddress {
  providerId: string;
  kind: string;
  nativeId: string;
}

/**
 * How long an invalidation is remembered against reads that were already in
 * flight: longer than any upstream read can take (timeouts times retries).
 */
const INVALIDATION_MEMORY_MS = 120_000;

/**
 * How long a read (or a write's invalidation) waits for the store: a Redis
 * that stopped answering held every cached read, and every mutation's answer,
 * for as long as its connection stayed up. Past this the store counts as
 * failed: a miss, read from the provider.
 */
export const READ_CACHE_STORE_WAIT_MS = 250;

/** The per-instance lists the cache holds. */
const LIST_KINDS = ['backups', 'schedules', 'definitions'] as const;

/**
 * The cross-request cache of provider reads (`cacheTtlMs` per account, off by
 * default). Entries are per (account, instance, kind of list); a mutation on
 * an instance drops that instance's entries at once, and the instance list of
 * its account, so a read after a write always sees the write.
 *
 * A read that started before the invalidation and answers after it carries
 * the old state: `setMany` drops such answers instead of caching them (in
 * this process; a replica's in-flight read is not seen, its TTL bounds it).
 */
export class ReadCache {
  private readonly invalidatedAt = growingLru<string, number>(100_000, { ttl: INVALIDATION_MEMORY_MS });
  private clock = 0;

  constructor(
    private readonly store: KeyValueStore,
    /** TTL per provider account; accounts without one are not cached. */
    private readonly ttlMs: ReadonlyMap<string, number>,
    /** A store that fails (Redis down) costs the cache, never the read: misses, and this is told. */
    private readonly onStoreError: (error: unknown) => void = () => {},
  ) {}

  /** The store is the gateway's `cache` namespace: no prefix of our own needed. */
  private static key({ providerId, kind, nativeId }: CacheAddress): string {
    return `${providerId}:${kind}:${nativeId}`;
  }

  private static instanceKey(providerId: string, nativeId: string): string {
    return `${providerId}\u0000${nativeId}`;
  }

  /** Whether this account's reads are cached at all. */
  covers(providerId: string): boolean {
    return Boolean(this.ttlMs.get(providerId));
  }

  /** A mark to pass to `setMany`: answers to reads started after it. */
  now(): number {
    return this.clock;
  }

  /**
   * What is cached at `address`, read without a round trip where the store
   * allows it (in memory); undefined where absent, not cached, or the store
   * needs a round trip (Redis: use `getMany`).
   */
  peek<T>(address: CacheAddress): T | undefined {
    if (!this.store.peek || !this.ttlMs.get(address.providerId)) return undefined;
    try {
      return this.store.peek<T>(ReadCache.key(address));
    } catch (error) {
      this.onStoreError(error);
      return undefined;
    }
  }

  /** One store round trip for the lot; undefined where absent or not cached. */
  async getMany<T>(addresses: readonly CacheAddress[]): Promise<Array<T | undefined>> {
    const results: Array<T | undefined> = new Array<T | undefined>(addresses.length).fill(undefined);
    const keys: string[] = [];
    const positions: number[] = [];
    addresses.forEach((address, index) => {
      if (!this.ttlMs.get(address.providerId)) return;
      keys.push(ReadCache.key(address));
      positions.push(index);
    });
    if (keys.length === 0) return results;
    try {
      const values = await answerWithinMs(this.store.getMany<T>(keys), READ_CACHE_STORE_WAIT_MS);
      positions.forEach((position, index) => {
        results[position] = values[index];
      });
    } catch (error) {
      this.onStoreError(error);
    }
    return results;
  }

  /** Caches answers to reads started at `startedAt` (see `now`), except those an invalidation overtook. */
  async setMany(entries: ReadonlyArray<{ address: CacheAddress; value: unknown }>, startedAt: number): Promise<void> {
    const fresh = entries.flatMap(({ address, value }) => {
      const ttlMs = this.ttlMs.get(address.providerId);
      if (!ttlMs || this.overtaken(address, startedAt)) return [];
      return [{ key: ReadCache.key(address), value, ttlMs }];
    });
    if (fresh.length === 0) return;
    try {
      await answerWithinMs(this.store.setMany(fresh), READ_CACHE_STORE_WAIT_MS);
    } catch (error) {
      this.onStoreError(error);
    }
  }

  /** Drops everything cached about one instance, and its account's instance list. */
  invalidateInstance(providerId: string, nativeId: string): Promise<void> {
    return this.invalidateInstances(providerId, [nativeId]);
  }

  /** The same for many instances of one account (a sync), in one store round trip. */
  async invalidateInstances(providerId: string, nativeIds: readonly string[]): Promise<void> {
    if (!this.ttlMs.get(providerId)) return;
    const stamp = ++this.clock;
    const keys = [ReadCache.key({ providerId, kind: 'instances', nativeId: '' })];
    this.invalidatedAt.set(ReadCache.instanceKey(providerId, ''), stamp);
    for (const nativeId of nativeIds) {
      this.invalidatedAt.set(ReadCache.instanceKey(providerId, nativeId), stamp);
      for (const kind of LIST_KINDS) keys.push(ReadCache.key({ providerId, kind, nativeId }));
    }
    try {
      await answerWithinMs(this.store.deleteMany(keys), READ_CACHE_STORE_WAIT_MS);
    } catch (error) {
      // The write already happened at the provider: its answer must not fail for the cache's sake.
      this.onStoreError(error);
    }
  }

  private overtaken(address: CacheAddress, startedAt: number): boolean {
    const invalidated = this.invalidatedAt.get(ReadCache.instanceKey(address.providerId, address.nativeId));
    return invalidated !== undefined && invalidated > startedAt;
  }
}
