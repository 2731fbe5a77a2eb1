import type { LRUCache } from 'lru-cache';
import { growingLru, growingLruOfBytes } from './growing-lru.js';
import type { KeyValueStore, NamespaceBounds, StoreEntry } from './store.js';
import { encodeStored } from './stored-json.js';

/** A monotonic time source in milliseconds, like `performance`. */
export interface StoreClock {
  now(): number;
}

/** Most entries kept in memory by default; the least recently used go first. */
const MAX_ENTRIES = 100_000;

/**
 * In-process store. Values are kept as they are (no serialisation), which is
 * what makes a warm cache cheap; callers must not mutate what they get.
 */
export class MemoryStore implements KeyValueStore {
  readonly forgetsOnRestart = true;
  private readonly entries: LRUCache<string, { value: unknown }>;
  private readonly children: MemoryStore[] = [];
  /** With a byte bound: the least an entry counts (maxBytes / maxEntries), which keeps the entry bound too. */
  private readonly leastBytes: number | undefined;

  constructor(
    maxEntries = MAX_ENTRIES,
    /** Where the entries' ages are read (tests move it); the default is lru-cache's own `performance`. */
    private readonly clock?: StoreClock,
    /** Bytes of values held at most, as `setMany` is told them (see NamespaceBounds.maxBytes); entries alone bound it when absent. */
    maxBytes?: number,
  ) {
    // A given clock is read on every lookup: lru-cache otherwise keeps one reading for a millisecond.
    const options = { ttlAutopurge: false, ...(clock ? { perf: clock, ttlResolution: 0 } : {}) };
    if (maxBytes === undefined) {
      this.entries = growingLru<string, { value: unknown }>(maxEntries, options);
      return;
    }
    this.leastBytes = Math.max(1, Math.ceil(maxBytes / maxEntries));
    this.entries = growingLruOfBytes<string, { value: unknown }>(maxBytes, this.leastBytes, options);
  }

  /** A separate LRU: nothing set here can evict an entry there. */
  namespace(_name: string, options: NamespaceBounds): KeyValueStore {
    const child = new MemoryStore(options.maxEntries, this.clock, options.maxBytes);
    this.children.push(child);
    return child;
  }

  /** Bytes held, as told by `setMany` (each entry at least maxBytes / maxEntries); 0 without a byte bound. */
  heldBytes(): number {
    return this.leastBytes === undefined ? 0 : this.entries.calculatedSize;
  }

  get<T>(key: string): Promise<T | undefined> {
    return Promise.resolve(this.entries.get(key)?.value as T | undefined);
  }

  peek<T>(key: string): T | undefined {
    return this.entries.get(key)?.value as T | undefined;
  }

  getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    return Promise.resolve(keys.map((key) => this.entries.get(key)?.value as T | undefined));
  }

  set<T>(key: string, value: T, ttlMs: number): Promise<void> {
    this.entries.set(key, { value }, { ttl: ttlMs });
    return Promise.resolve();
  }

  setMany(entries: ReadonlyArray<StoreEntry>): Promise<void> {
    for (const { key, value, ttlMs, bytes } of entries) {
      // Without a byte bound lru-cache counts 1 an entry; a size given it would be read as entries.
      const size = this.leastBytes === undefined || bytes === undefined ? undefined : Math.max(this.leastBytes, Math.ceil(bytes));
      this.entries.set(key, { value }, size === undefined ? { ttl: ttlMs } : { ttl: ttlMs, size });
    }
    return Promise.resolve();
  }

  setIfAbsent<T>(key: string, value: T, ttlMs: number): Promise<boolean> {
    if (this.entries.has(key)) return Promise.resolve(false);
    this.entries.set(key, { value }, { ttl: ttlMs });
    return Promise.resolve(true);
  }

  setIfAbsentAbove<T>(key: string, below: string, value: T, ttlMs: number): Promise<boolean> {
    if (!this.entries.has(below)) return Promise.resolve(false);
    return this.setIfAbsent(key, value, ttlMs);
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  deleteUnlessHeld<T>(key: string, guard: string, holding: T): Promise<boolean> {
    const entry = this.entries.get(key);
    if (this.entries.has(guard) || !entry || encodeStored(entry.value) !== encodeStored(holding)) return Promise.resolve(false);
    return Promise.resolve(this.entries.delete(key));
  }

  deleteIfEqual<T>(key: string, value: T): Promise<void> {
    const entry = this.entries.get(key);
    if (entry && encodeStored(entry.value) === encodeStored(value)) this.entries.delete(key);
    return Promise.resolve();
  }

  replaceIfEqual<T>(key: string, holding: T, value: unknown, ttlMs: number): Promise<boolean> {
    const entry = this.entries.get(key);
    if (entry && encodeStored(entry.value) === encodeStored(value)) return Promise.resolve(true);
    if (!entry || encodeStored(entry.value) !== encodeStored(holding)) return Promise.resolve(false);
    this.entries.set(key, { value }, { ttl: ttlMs });
    return Promise.resolve(true);
  }

  extendIfPresent(key: string, ttlMs: number): Promise<boolean> {
    const entry = this.entries.get(key);
    // The entry's own size, not the least one: a longer life must not make a large list count small.
    const size = this.leastBytes === undefined ? undefined : this.entries.info(key)?.size;
    if (entry) this.entries.set(key, entry, size === undefined ? { ttl: ttlMs } : { ttl: ttlMs, size });
    return Promise.resolve(entry !== undefined);
  }

  deleteMany(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.entries.clear();
    await Promise.all(this.children.map((child) => child.close()));
  }
}
