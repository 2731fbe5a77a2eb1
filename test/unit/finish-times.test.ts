import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/domain/types.js';
import { FINISH_TIME_KEPT_MS, FINISH_TIME_STORE_WAIT_MS, FinishTimes, operationsIn } from '../../src/gateway/finish-times.js';
import { IDEMPOTENCY_TTL_MS } from '../../src/gateway/idempotency.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import type { KeyValueStore } from '../../src/state/store.js';

const operation = (finishedAt: Date | null, token = 't1', backupNativeId: string | null = null, kind: Operation['kind'] = 'CREATE_BACKUP'): Operation => ({
  providerId: 'lab',
  kind,
  startedAt: new Date('2026-12-03T10:00:00Z'),
  instanceNativeId: 'vm1',
  backupNativeId,
  token: [token],
  status: finishedAt ? 'SUCCEEDED' : 'RUNNING',
  finishedAt,
  error: null,
  providerOperationId: null,
});

const at = (minute: number) => new Date(`2026-12-03T10:${String(minute).padStart(2, '0')}:00Z`);

/** A memory store that records its calls. */
function recording(overrides: Partial<KeyValueStore> = {}): { store: KeyValueStore; calls: Array<[string, ...unknown[]]> } {
  const inner = new MemoryStore();
  const calls: Array<[string, ...unknown[]]> = [];
  const store: KeyValueStore = Object.assign(Object.create(inner) as KeyValueStore, {
    get: async <T>(key: string) => {
      calls.push(['get']);
      return inner.get<T>(key);
    },
    set: async <T>(key: string, value: T, ttlMs: number) => {
      calls.push(['set', value, ttlMs]);
      return inner.set(key, value, ttlMs);
    },
    setIfAbsent: async <T>(key: string, value: T, ttlMs: number) => {
      calls.push(['setIfAbsent', value, ttlMs]);
      return inner.setIfAbsent(key, value, ttlMs);
    },
    replaceIfEqual: async <T>(key: string, holding: T, value: unknown, ttlMs: number) => {
      calls.push(['replaceIfEqual', holding, value, ttlMs]);
      return inner.replaceIfEqual(key, holding, value, ttlMs);
    },
    ...overrides,
  });
  return { store, calls };
}

describe('FinishTimes', () => {
  it('keeps the first time an operation started here was seen finished, for every later read', async () => {
    const times = new FinishTimes(new MemoryStore());
    await times.started([operation(null)]);
    expect(await times.of(operation(at(5)))).toEqual(at(5));
    expect(await times.of(operation(at(9)))).toEqual(at(5));
    // A create's later reads name the backup the create's answer did not: the same operation.
    expect(await times.of(operation(at(9), 't1', '7026'))).toEqual(at(5));
  });

  it('answers the time another replica stored first when both read the operation finished at once', async () => {
    const shared = new MemoryStore();
    const otherReplica = new FinishTimes(shared);
    let raced = false;
    // The other replica's read stores its time between this one's read of the mark and its replace.
    const store: KeyValueStore = Object.assign(Object.create(shared) as KeyValueStore, {
      replaceIfEqual: async <T>(key: string, holding: T, value: unknown, ttlMs: number) => {
        if (!raced) {
          raced = true;
          expect(await otherReplica.of(operation(at(4)))).toEqual(at(4));
        }
        return shared.replaceIfEqual(key, holding, value, ttlMs);
      },
    });
    const times = new FinishTimes(store);
    await times.started([operation(null)]);
    expect(await times.of(operation(at(5)))).toEqual(at(4));
    expect(await otherReplica.of(operation(at(9)))).toEqual(at(4));
  });

  it('keeps the time of an operation already finished in its mutation’s answer', async () => {
    const times = new FinishTimes(new MemoryStore());
    await times.started([operation(at(1), 't2', 'b1', 'DELETE_BACKUP')]);
    expect(await times.of(operation(at(7), 't2', 'b1', 'DELETE_BACKUP'))).toEqual(at(1));
    // Another backup's delete is another operation.
    expect(await times.of(operation(at(7), 't2', 'b2', 'DELETE_BACKUP'))).toEqual(at(7));
  });

  it('writes nothing for an operation it did not start (ids are the client’s to make up): this read’s time', async () => {
    const { store, calls } = recording();
    const times = new FinishTimes(store);
    expect(await times.of(operation(at(5), 'made-up'))).toEqual(at(5));
    expect(await times.of(operation(at(6), 'made-up'))).toEqual(at(6));
    expect(calls.map(([call]) => call)).toEqual(['get', 'get']);
  });

  it('answers null for work not finished, without asking the store', async () => {
    const { store, calls } = recording();
    expect(await new FinishTimes(store).of(operation(null))).toBeNull();
    expect(calls).toEqual([]);
  });

  it('keeps marks and times as long as idempotency records, not longer', async () => {
    const { store, calls } = recording();
    const times = new FinishTimes(store);
    await times.started([operation(null)]);
    await times.of(operation(at(5)));
    expect(FINISH_TIME_KEPT_MS).toBe(IDEMPOTENCY_TTL_MS);
    // The time replaces the mark only while the key holds the mark: the first reader's time wins.
    expect(calls).toEqual([['setIfAbsent', -1, IDEMPOTENCY_TTL_MS], ['get'], ['replaceIfEqual', -1, at(5).getTime(), IDEMPOTENCY_TTL_MS]]);
  });

  it('answers this read’s time when the store fails or is slow, and a mutation is never failed by it', async () => {
    const failing = recording({
      get: () => Promise.reject(new Error('connection lost')),
      setIfAbsent: () => Promise.reject(new Error('connection lost')),
    }).store;
    await expect(new FinishTimes(failing).started([operation(null)])).resolves.toBeUndefined();
    expect(await new FinishTimes(failing).of(operation(at(5)))).toEqual(at(5));
    const hanging = recording({ get: () => new Promise<never>(() => {}) }).store;
    const started = performance.now();
    expect(await new FinishTimes(hanging).of(operation(at(5)))).toEqual(at(5));
    expect(performance.now() - started).toBeGreaterThanOrEqual(FINISH_TIME_STORE_WAIT_MS - 5);
    expect(FINISH_TIME_STORE_WAIT_MS).toBe(250);
  });
});

describe('FinishTimes.startedHere', () => {
  it('says whether a mutation here started the operation, finished or not, whatever a later read found', async () => {
    const times = new FinishTimes(new MemoryStore());
    const mine = operation(null);
    expect(await times.startedHere(mine)).toBe(false);
    await times.started([mine]);
    expect(await times.startedHere(mine)).toBe(true);
    // Seen finished later, with the backup a create made: the same operation.
    expect(await times.startedHere(operation(at(5), 't1', 'b9'))).toBe(true);
    await times.of(operation(at(5)));
    expect(await times.startedHere(operation(at(6)))).toBe(true);
    // Another operation, or the same token of another kind: not started here.
    expect(await times.startedHere(operation(null, 't2'))).toBe(false);
    expect(await times.startedHere(operation(null, 't1', null, 'SYNC_BACKUPS'))).toBe(false);
  });

  it('says no when the store fails or does not answer in time', async () => {
    const failing = recording({ get: () => Promise.reject(new Error('connection lost')) }).store;
    expect(await new FinishTimes(failing).startedHere(operation(null))).toBe(false);
    const hanging = recording({ get: () => new Promise<never>(() => {}) }).store;
    expect(await new FinishTimes(hanging).startedHere(operation(null))).toBe(false);
  });
});

describe('operationsIn', () => {
  it('finds a payload’s operation, or each operation of its results, and nothing else', () => {
    const one = operation(null);
    const two = operation(null, 't2');
    expect(operationsIn({ operation: one, backup: null })).toEqual([one]);
    expect(operationsIn({ results: [{ operation: one }, { operation: null, error: { code: 'NOT_FOUND' } }, { operation: two }] })).toEqual([one, two]);
    for (const payload of [null, undefined, 'x', {}, { schedule: { id: 's' } }, { deletedId: 'd' }, { operation: { kind: 'CREATE_BACKUP', startedAt: 'not a date' } }, { results: 'x' }]) {
      expect(operationsIn(payload)).toEqual([]);
    }
  });
});
