import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/domain/types.js';
import { FINISH_TIME_KEPT_MS, FinishTimes } from '../../src/gateway/finish-times.js';
import { operationId } from '../../src/gateway/ids.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import type { KeyValueStore } from '../../src/state/store.js';

const operation = (finishedAt: Date | null, token = 't1'): Operation => ({
  providerId: 'lab',
  kind: 'CREATE_BACKUP',
  startedAt: new Date('2026-12-03T10:00:00Z'),
  instanceNativeId: 'vm1',
  backupNativeId: null,
  token: [token],
  status: finishedAt ? 'SUCCEEDED' : 'RUNNING',
  finishedAt,
  error: null,
  providerOperationId: null,
});

describe('FinishTimes', () => {
  it('answers the first time an operation was seen finished on every later read, per operation', async () => {
    const times = new FinishTimes(new MemoryStore());
    const first = new Date('2026-12-03T10:05:00Z');
    expect(await times.of(operation(first))).toEqual(first);
    expect(await times.of(operation(new Date('2026-12-03T10:09:00Z')))).toEqual(first);
    const other = new Date('2026-12-03T11:00:00Z');
    expect(await times.of(operation(other, 't2'))).toEqual(other);
  });

  /** A memory store that counts its calls. */
  function counting(): { store: KeyValueStore; calls: string[] } {
    const inner = new MemoryStore();
    const calls: string[] = [];
    const store: KeyValueStore = Object.assign(Object.create(inner) as KeyValueStore, {
      get: async <T>(key: string) => {
        calls.push('get');
        return inner.get<T>(key);
      },
      setIfAbsent: async <T>(key: string, value: T, ttlMs: number) => {
        calls.push('setIfAbsent');
        return inner.setIfAbsent(key, value, ttlMs);
      },
    });
    return { store, calls };
  }

  it('answers null for work not finished, without asking the store', async () => {
    const { store, calls } = counting();
    expect(await new FinishTimes(store).of(operation(null))).toBeNull();
    expect(calls).toEqual([]);
  });

  it('sets the time once: a later read only reads it', async () => {
    const { store, calls } = counting();
    const times = new FinishTimes(store);
    await times.of(operation(new Date('2026-12-03T10:05:00Z')));
    expect(calls).toEqual(['get', 'setIfAbsent']);
    calls.length = 0;
    await times.of(operation(new Date('2026-12-03T10:06:00Z')));
    expect(calls).toEqual(['get']);
  });

  it('keeps the time for a week, under the operation’s id', async () => {
    const kept: Array<{ key: string; value: unknown; ttlMs: number }> = [];
    const store = new MemoryStore();
    const recording: KeyValueStore = Object.assign(Object.create(store) as KeyValueStore, {
      setIfAbsent: async <T>(key: string, value: T, ttlMs: number) => {
        kept.push({ key, value, ttlMs });
        return store.setIfAbsent(key, value, ttlMs);
      },
    });
    const at = new Date('2026-12-03T10:05:00Z');
    await new FinishTimes(recording).of(operation(at));
    expect(kept).toEqual([{ key: operationId(operation(at)), value: at.getTime(), ttlMs: FINISH_TIME_KEPT_MS }]);
    expect(FINISH_TIME_KEPT_MS).toBe(7 * 24 * 3_600_000);
  });

  it('takes the time another replica set first when it loses the race to set it', async () => {
    const store = new MemoryStore();
    const theirs = new Date('2026-12-03T10:04:00Z');
    const racing: KeyValueStore = Object.assign(Object.create(store) as KeyValueStore, {
      get: async <T>(key: string) => store.get<T>(key),
      setIfAbsent: async <T>(key: string) => {
        // Another replica sets it between this one's get and its set.
        await store.set(key, theirs.getTime(), 60_000);
        return false;
      },
    });
    expect(await new FinishTimes(racing).of(operation(new Date('2026-12-03T10:05:00Z')))).toEqual(theirs);
  });

  it('answers this read’s time when the store fails, rather than no answer', async () => {
    const failing: KeyValueStore = Object.assign(Object.create(new MemoryStore()) as KeyValueStore, {
      get: async () => {
        throw new Error('connection lost');
      },
    });
    const at = new Date('2026-12-03T10:05:00Z');
    expect(await new FinishTimes(failing).of(operation(at))).toEqual(at);
  });
});
