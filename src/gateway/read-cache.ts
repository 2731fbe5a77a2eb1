import type { KeyValueStore } from '../state/store.js';

/**
 * The cross-request cache of provider reads (`cacheTtlMs` per account, off by
 * default). Entries are per (account, instance, kind of list); a mutation on
 * an instance drops that instance's entries at once, and the instance list of
 * its account, so a read after a write always sees the write.
 */
export class ReadCache {
  constructor(
    private readonly store: KeyValueStore,
    /** TTL per provider account; accounts without one are not cached. */
    private readonly ttlMs: ReadonlyMap<string, number>,
  ) {}

  private static key(providerId: string, kind: string, nativeId: string): string {
    return `cache:${providerId}:${kind}:${nativeId}`;
  }

  async get<T>(providerId: string, kind: string, nativeId: string): Promise<T | undefined> {
    if (!this.ttlMs.get(providerId)) return undefined;
    return this.store.get<T>(ReadCache.key(providerId, kind, nativeId));
  }

  async set<T>(providerId: string, kind: string, nativeId: string, value: T): Promise<void> {
    const ttl = this.ttlMs.get(providerId);
    if (ttl) await this.store.set(ReadCache.key(providerId, kind, nativeId), value, ttl);
  }

  /** Drops everything cached about one instance, and its account's instance list. */
  async invalidateInstance(providerId: string, nativeId: string): Promise<void> {
    if (!this.ttlMs.get(providerId)) return;
    await Promise.all(
      ['backups', 'schedules', 'definitions'].map((kind) => this.store.delete(ReadCache.key(providerId, kind, nativeId))).concat(
        this.store.delete(ReadCache.key(providerId, 'instances', '')),
      ),
    );
  }
}
