import type { LRUCache } from 'lru-cache';
import { growingLru } from './growing-lru.js';
import type { KeyValueStore } from './store.js';
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
  private readonly entries: LRUCache<string, { value: unknown }>;
  private readonly children: MemoryStore[] = [];

  constructor(
    maxEntries = MAX_ENTRIES,
    /** Where the entries' ages are read (tests move it); the default is lru-cache's own `performance`. */
    private readonly clock?: StoreClock,
  ) {
    // A given clock is read on every lookup: lru-cache otherwise keeps one reading for a millisecond.
    const time = clock ? { perf: clock, ttlResolution: 0 } : {};
    this.entries = growingLru<string, { value: unknown }>(maxEntries, { ttlAutopurge: false, ...time });
  }

  /** A separate LRU: nothing set here can evict an entry there. */
  namespace(_name: string, options: { maxEntries: number }): KeyValueStore {
    const child = new MemoryStore(options.maxEntries, this.clock);
    this.children.push(child);
    return child;
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

  setMany(entries: ReadonlyArray<{ key: string; value: unknown; ttlMs: number }>): Promise<void> {
    for (const { key, value, ttlMs } of entries) this.entries.set(key, { value }, { ttl: ttlMs });
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
    if (entry) this.entries.set(key, entry, { ttl: ttlMs });
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
