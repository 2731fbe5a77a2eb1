import { describe, expect, it } from 'vitest';
import type { Operation, OperationRef } from '../../src/domain/types.js';
import { operationId } from '../../src/gateway/ids.js';
import { StartedOperations } from '../../src/gateway/started-operations.js';
import { OUTCOME_KEPT_MS } from '../../src/state/kept-outcomes.js';
import { MemoryStore } from '../../src/state/memory-store.js';

const ref: OperationRef = {
  providerId: 'onapp-1',
  kind: 'CREATE_BACKUP',
  startedAt: new Date('2026-12-05T10:00:00Z'),
  instanceNativeId: '7',
  backupNativeId: null,
  token: ['t-1'],
};

/** A memory store that records the TTL of each set, or fails every call when told to. */
class WatchedStore extends MemoryStore {
  readonly ttls: number[] = [];
  failing = false;
  override async set<T>(key: string, value: T, ttlMs: number): Promise<void> {
    if (this.failing) throw new Error('store down');
    this.ttls.push(ttlMs);
    return super.set(key, value, ttlMs);
  }
  override async getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    if (this.failing) throw new Error('store down');
    return super.getMany<T>(keys);
  }
}

describe('StartedOperations', () => {
  it('knows an operation a mutation started, by its id, for OUTCOME_KEPT_MS, and no other', async () => {
    const store = new WatchedStore();
    const started = new StartedOperations(store);
    expect(await started.wasStarted(ref, 'onapp-1', 'cancel')).toBe(false);
    const operation: Operation = { ...ref, status: 'RUNNING', finishedAt: null, error: null, providerOperationId: 'job-1' };
    await started.started(operation);
    expect(await started.wasStarted({ ...ref }, 'onapp-1', 'read')).toBe(true);
    expect(await started.wasStarted({ ...ref, token: ['t-2'] }, 'onapp-1', 'read')).toBe(false);
    expect(store.ttls).toEqual([OUTCOME_KEPT_MS]);
  });

  it('reads a record the store holds as null as none', async () => {
    const store = new MemoryStore();
    await store.set(operationId(ref), null, 60_000);
    expect(await new StartedOperations(store).wasStarted(ref, 'onapp-1', 'cancel')).toBe(false);
  });

  it('refuses with STORE_UNAVAILABLE, naming the provider, when the store fails, and tells of the failure', async () => {
    const store = new WatchedStore();
    const failures: unknown[] = [];
    const started = new StartedOperations(store, (error) => failures.push(error));
    store.failing = true;
    await expect(started.wasStarted(ref, 'onapp-1', 'cancel')).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringContaining('cannot tell whether it started this operation'),
      details: { provider: 'onapp-1' },
    });
    // Recording never fails the mutation: the provider has acted.
    await expect(started.started(ref)).resolves.toBeUndefined();
    expect(failures).toHaveLength(2);
  });

  it('records nothing that fails a mutation with the default failure telling', async () => {
    const store = new WatchedStore();
    store.failing = true;
    await expect(new StartedOperations(store).started(ref)).resolves.toBeUndefined();
  });
});
