import { MemoryStore } from '../../src/state/memory-store.js';

/** The in-memory store, recording what each call was asked, and able to fail like a Redis that went away. */
export class RecordingStore extends MemoryStore {
  readonly calls: Array<{ method: string; keys: string[]; ttlMs?: number }> = [];
  failing = false;

  private record(method: string, keys: readonly string[], ttlMs?: number): void {
    this.calls.push({ method, keys: [...keys], ...(ttlMs === undefined ? {} : { ttlMs }) });
    if (this.failing) throw new Error('store unreachable');
  }

  override async get<T>(key: string): Promise<T | undefined> {
    this.record('get', [key]);
    return super.get<T>(key);
  }

  override peek<T>(key: string): T | undefined {
    this.record('peek', [key]);
    return super.peek<T>(key);
  }

  override async getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    this.record('getMany', keys);
    return super.getMany<T>(keys);
  }

  override async setMany(entries: ReadonlyArray<{ key: string; value: unknown; ttlMs: number }>): Promise<void> {
    this.record(
      'setMany',
      entries.map((entry) => entry.key),
      entries[0]?.ttlMs,
    );
    return super.setMany(entries);
  }

  override async deleteMany(keys: readonly string[]): Promise<void> {
    this.record('deleteMany', keys);
    return super.deleteMany(keys);
  }

  override async set<T>(key: string, value: T, ttlMs: number): Promise<void> {
    this.record('set', [key], ttlMs);
    return super.set(key, value, ttlMs);
  }

  override async setIfAbsent<T>(key: string, value: T, ttlMs: number): Promise<boolean> {
    this.record('setIfAbsent', [key], ttlMs);
    return super.setIfAbsent(key, value, ttlMs);
  }

  override async setIfAbsentAbove<T>(key: string, below: string, value: T, ttlMs: number): Promise<boolean> {
    this.record('setIfAbsentAbove', [key, below], ttlMs);
    return super.setIfAbsentAbove(key, below, value, ttlMs);
  }

  override async replaceIfEqual<T>(key: string, holding: T, value: unknown, ttlMs: number): Promise<boolean> {
    this.record('replaceIfEqual', [key], ttlMs);
    return super.replaceIfEqual(key, holding, value, ttlMs);
  }

  override async delete(key: string): Promise<void> {
    this.record('delete', [key]);
    return super.delete(key);
  }

  override async deleteUnlessHeld<T>(key: string, guard: string, holding: T): Promise<boolean> {
    this.record('deleteUnlessHeld', [key, guard]);
    return super.deleteUnlessHeld(key, guard, holding);
  }
}
