import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Backup, Operation } from '../../src/domain/types.js';
import { DELETES_STORE_WAIT_MS, DELETE_CHECKED_EVERY_MS, DELETE_SHOWN_AT_MOST_MS, DeletesInFlight, checkDue, type DeletesByAccount } from '../../src/gateway/deletes-in-flight.js';
import { backupListKey, operationId } from '../../src/gateway/ids.js';
import { DEFAULT_BACKUP_GIVE_UP_MS as ONAPP_GIVE_UP_MS } from '../../src/providers/onapp/config.js';
import { DEFAULT_BACKUP_GIVE_UP_MS as ZOMRO_GIVE_UP_MS } from '../../src/providers/zomro/config.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import type { KeyValueStore } from '../../src/state/store.js';

const backup = (providerId: string, instanceNativeId: string, nativeId: string): Backup => ({
  providerId,
  instanceNativeId,
  nativeId,
  keyExtra: [],
  name: `backup ${nativeId}`,
  status: 'AVAILABLE',
  origin: null,
  mode: null,
  createdAt: null,
  sizeBytes: null,
  protected: false,
  diskId: null,
  minDiskBytes: null,
  minRamBytes: null,
  osDistro: null,
  osVersion: null,
  region: null,
  note: null,
  definitionName: null,
  raw: {},
});

const deleteOf = (deleted: Backup, status: Operation['status'], startedMs = 1_000): Operation => ({
  providerId: deleted.providerId,
  kind: 'DELETE_BACKUP',
  startedAt: new Date(startedMs),
  instanceNativeId: deleted.instanceNativeId,
  backupNativeId: deleted.nativeId,
  token: ['job'],
  status,
  finishedAt: null,
  error: null,
  providerOperationId: null,
});

const backupsOf = (found: DeletesByAccount, providerId: string): string[] => (found.get(providerId) ?? []).map((record) => record.backup);

/** A store that answers nothing, as a Redis that stopped answering (no `peek`: a round trip each). */
const silentStore = (): KeyValueStore => {
  const never = <T>(): Promise<T> => new Promise<T>(() => {});
  const store = new MemoryStore();
  return Object.assign(Object.create(null) as KeyValueStore, { ...store, get: never, getMany: never, setIfAbsent: never, replaceIfEqual: never, namespace: () => silentStore() });
};

/**
 * A memory store whose changes wait while it is stalled (a Redis that stopped answering, then
 * answers again), counting the reads each change starts with: a write sent, waited for or not.
 */
function gatedStore(): { store: KeyValueStore; stall(): void; flow(): void; changesSent(): number } {
  const inner = new MemoryStore();
  let gate: Promise<void> | null = null;
  let open = (): void => {};
  let changesSent = 0;
  const passed = async (): Promise<void> => {
    if (gate) await gate;
  };
  const store = Object.assign(Object.create(null) as KeyValueStore, {
    get: async <T>(key: string): Promise<T | undefined> => {
      changesSent++;
      await passed();
      return inner.get<T>(key);
    },
    getMany: async <T>(keys: readonly string[]): Promise<Array<T | undefined>> => {
      await passed();
      return inner.getMany<T>(keys);
    },
    setIfAbsent: async <T>(key: string, value: T, ttlMs: number): Promise<boolean> => {
      await passed();
      return inner.setIfAbsent(key, value, ttlMs);
    },
    replaceIfEqual: async <T>(key: string, holding: T, value: unknown, ttlMs: number): Promise<boolean> => {
      await passed();
      return inner.replaceIfEqual(key, holding, value, ttlMs);
    },
  });
  return {
    store,
    stall: () => {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    flow: () => {
      gate = null;
      open();
    },
    changesSent: () => changesSent,
  };
}

/** Whether `call` has settled before the event loop's next turn (no clock read: an order of events). */
const settledAtOnce = (call: Promise<unknown>): Promise<boolean> => Promise.race([call.then(() => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]);

/** Lets every change the store answered finish (memory answers within the turn). */
const turns = async (count = 5): Promise<void> => {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe('DeletesInFlight: the shared record of deletes the providers have not finished', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps every delete of an account, each under its own account, until its operation is seen finished', async () => {
    const deletes = new DeletesInFlight(new MemoryStore());
    const [first, second, elsewhere] = [backup('zstack-a', 'vm-1', 'b1'), backup('zstack-a', 'vm-2', 'b2'), backup('zstack-b', 'vm-1', 'b1')];
    await Promise.all([deletes.started(first, deleteOf(first, 'RUNNING'), 60_000), deletes.started(second, deleteOf(second, 'RUNNING'), 60_000)]);
    await deletes.started(elsewhere, deleteOf(elsewhere, 'RUNNING'), 60_000);
    const found = deletes.read(['zstack-a', 'zstack-b', 'zstack-c']) as DeletesByAccount;
    expect(backupsOf(found, 'zstack-a').sort()).toEqual([backupListKey(first), backupListKey(second)].sort());
    expect(backupsOf(found, 'zstack-b')).toEqual([backupListKey(elsewhere)]);
    expect(found.has('zstack-c')).toBe(false);
    expect(found.get('zstack-a')?.find((record) => record.backup === backupListKey(first))?.operation).toBe(operationId(deleteOf(first, 'RUNNING')));

    // Still running: nothing ends. Failed or succeeded: that delete's record ends, and no other.
    await deletes.seen(deleteOf(first, 'RUNNING'));
    expect(backupsOf(deletes.read(['zstack-a']) as DeletesByAccount, 'zstack-a')).toHaveLength(2);
    await deletes.seen(deleteOf(first, 'FAILED'));
    expect(backupsOf(deletes.read(['zstack-a']) as DeletesByAccount, 'zstack-a')).toEqual([backupListKey(second)]);
    await deletes.seen(deleteOf(second, 'SUCCEEDED'));
    expect((deletes.read(['zstack-a', 'zstack-b']) as DeletesByAccount).has('zstack-a')).toBe(false);
    expect(backupsOf(deletes.read(['zstack-b']) as DeletesByAccount, 'zstack-b')).toEqual([backupListKey(elsewhere)]);
  });

  it("counts a record no longer past the account's give-up time", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(5_000_000);
    const deletes = new DeletesInFlight(new MemoryStore());
    const deleted = backup('zomro', 'vm-1', 'b1');
    await deletes.started(deleted, deleteOf(deleted, 'RUNNING'), 7_200_000);
    vi.setSystemTime(5_000_000 + 7_199_999);
    expect(backupsOf(deletes.read(['zomro']) as DeletesByAccount, 'zomro')).toHaveLength(1);
    vi.setSystemTime(5_000_000 + 7_200_000);
    expect((deletes.read(['zomro']) as DeletesByAccount).size).toBe(0);
  });

  it("reads nothing of another shape (another writer), and a store that does not answer costs another replica's records, never the read", async () => {
    const store = new MemoryStore();
    await store.set('zstack', [{ backup: 'b1' }, 'text', null], 60_000);
    expect((new DeletesInFlight(store).read(['zstack']) as DeletesByAccount).size).toBe(0);

    const failures: unknown[] = [];
    const stalled = new DeletesInFlight(silentStore(), (error) => failures.push(error));
    const deleted = backup('zstack', 'vm-1', 'b1');
    await stalled.started(deleted, deleteOf(deleted, 'RUNNING'), 60_000);
    // This replica's own delete is known here without the store; nothing is known of another account's.
    const read = await stalled.read(['zstack', 'onapp']);
    expect([...read.keys()]).toEqual(['zstack']);
    expect(read.get('zstack')?.map((record) => record.operation)).toEqual([operationId(deleteOf(deleted, 'RUNNING'))]);
    expect(failures).toHaveLength(2);
    // The read still unanswered, the next ones do not ask (nor wait): no failure more.
    expect(stalled.read(['zstack', 'onapp'])).toBeInstanceOf(Map);
    expect(failures).toHaveLength(2);
  });

  it('keeps one record per backup of an instance: a second delete of it replaces the first, the same backup id of another instance is its own', async () => {
    const deletes = new DeletesInFlight(new MemoryStore());
    const deleted = backup('zstack', 'vm-1', 'b1');
    await deletes.started(deleted, deleteOf(deleted, 'RUNNING', 1_000), 60_000);
    await deletes.started(deleted, deleteOf(deleted, 'RUNNING', 2_000), 60_000);
    const sameInstance = backup('zstack', 'vm-1', 'b2');
    await deletes.started(sameInstance, deleteOf(sameInstance, 'RUNNING', 2_500), 60_000);
    const sameIdElsewhere = backup('zstack', 'vm-2', 'b1');
    await deletes.started(sameIdElsewhere, deleteOf(sameIdElsewhere, 'RUNNING', 3_000), 60_000);
    const records = (deletes.read(['zstack']) as DeletesByAccount).get('zstack') ?? [];
    expect(records.map((record) => [record.instance, record.operation])).toEqual([
      ['vm-1', operationId(deleteOf(deleted, 'RUNNING', 2_000))],
      ['vm-1', operationId(deleteOf(sameInstance, 'RUNNING', 2_500))],
      ['vm-2', operationId(deleteOf(sameIdElsewhere, 'RUNNING', 3_000))],
    ]);
  });

  it("records a backup of no instance under the empty instance, as its list's key names it", async () => {
    const deletes = new DeletesInFlight(new MemoryStore());
    const deleted = { ...backup('danube', 'vm-1', 'b1'), instanceNativeId: null };
    await deletes.started(deleted, deleteOf(deleted, 'RUNNING'), 60_000);
    expect((deletes.read(['danube']) as DeletesByAccount).get('danube')?.map((record) => [record.instance, record.backup])).toEqual([['', backupListKey(deleted)]]);
  });

  it('reads every stored record of the right shape and none of another (null, text, a field missing or of another type)', async () => {
    const store = new MemoryStore();
    const good = { instance: 'vm-1', backup: 'b1', operation: 'op-1', until: Date.now() + 60_000 };
    const odd = [null, 'text', 7, { ...good, instance: 1 }, { ...good, backup: 1 }, { ...good, operation: 1 }, { ...good, until: '9999999999999' }];
    await store.set('zstack', [...odd, good], 60_000);
    const failures: unknown[] = [];
    const found = new DeletesInFlight(store, (error) => failures.push(error)).read(['zstack']) as DeletesByAccount;
    expect(found.get('zstack')).toEqual([good]);
    expect(failures).toEqual([]);
  });

  it('keeps the account key in the store as long as its longest record, and writes once per change', async () => {
    const writes: Array<{ ttlMs: number; value: unknown }> = [];
    const store = new MemoryStore();
    const counting = Object.assign(Object.create(null) as KeyValueStore, {
      ...store,
      get: store.get.bind(store),
      peek: store.peek.bind(store),
      setIfAbsent: <T>(key: string, value: T, ttlMs: number) => {
        writes.push({ ttlMs, value });
        return store.setIfAbsent(key, value, ttlMs);
      },
      replaceIfEqual: <T>(key: string, holding: T, value: unknown, ttlMs: number) => {
        writes.push({ ttlMs, value });
        return store.replaceIfEqual(key, holding, value, ttlMs);
      },
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(5_000_000);
    const deletes = new DeletesInFlight(counting);
    const [short, long] = [backup('zstack', 'vm-1', 'b1'), backup('zstack', 'vm-1', 'b2')];
    await deletes.started(short, deleteOf(short, 'RUNNING'), 60_000);
    await deletes.started(long, deleteOf(long, 'RUNNING'), 600_000);
    expect(writes.map((write) => write.ttlMs)).toEqual([60_000, 600_000]);
    // Both ended: the key goes at once (the least TTL a store takes).
    await deletes.seen(deleteOf(short, 'SUCCEEDED'));
    await deletes.seen(deleteOf(long, 'FAILED'));
    expect(writes.slice(2)).toEqual([
      { ttlMs: 600_000, value: [expect.objectContaining({ backup: backupListKey(long) })] },
      { ttlMs: 1, value: [] },
    ]);
  });

  it('touches the store for no operation but a finished delete, and writes nothing for an account with no records', async () => {
    const calls: string[] = [];
    const store = new MemoryStore();
    const counting = Object.assign(Object.create(null) as KeyValueStore, {
      ...store,
      get: <T>(key: string) => {
        calls.push(`get ${key}`);
        return store.get<T>(key);
      },
      setIfAbsent: <T>(key: string, value: T, ttlMs: number) => {
        calls.push(`setIfAbsent ${key}`);
        return store.setIfAbsent(key, value, ttlMs);
      },
      replaceIfEqual: <T>(key: string, holding: T, value: unknown, ttlMs: number) => {
        calls.push(`replaceIfEqual ${key}`);
        return store.replaceIfEqual(key, holding, value, ttlMs);
      },
    });
    const deletes = new DeletesInFlight(counting);
    const deleted = backup('zstack', 'vm-1', 'b1');
    await deletes.seen({ ...deleteOf(deleted, 'SUCCEEDED'), kind: 'RESTORE_BACKUP' });
    await deletes.seen(deleteOf(deleted, 'RUNNING'));
    expect(calls).toEqual([]);
    await deletes.seen(deleteOf(deleted, 'SUCCEEDED'));
    expect(calls).toEqual(['get zstack']);
    expect(await store.get('zstack')).toBeUndefined();
  });

  it('tries a change that lost to another replica again, three times at most, and keeps the record once it wins', async () => {
    const store = new MemoryStore();
    const deleted = backup('zstack', 'vm-1', 'b1');
    let losses = 0;
    let tries = 0;
    const racing = (losing: number): KeyValueStore =>
      Object.assign(Object.create(null) as KeyValueStore, {
        ...store,
        get: store.get.bind(store),
        peek: store.peek.bind(store),
        setIfAbsent: async <T>(key: string, value: T, ttlMs: number) => {
          tries += 1;
          if (losses < losing) {
            losses += 1;
            return false;
          }
          return store.setIfAbsent(key, value, ttlMs);
        },
      });
    await new DeletesInFlight(racing(2)).started(deleted, deleteOf(deleted, 'RUNNING'), 60_000);
    expect(tries).toBe(3);
    expect(backupsOf(new DeletesInFlight(store).read(['zstack']) as DeletesByAccount, 'zstack')).toEqual([backupListKey(deleted)]);

    await store.delete('zstack');
    [losses, tries] = [0, 0];
    await new DeletesInFlight(racing(Number.POSITIVE_INFINITY)).started(deleted, deleteOf(deleted, 'RUNNING'), 60_000);
    // Let any further try run: there must be none.
    await new Promise((resolve) => setImmediate(resolve));
    expect(tries).toBe(3);
    expect(await store.get('zstack')).toBeUndefined();
  });

  it('reads an in-memory store that throws as no deletes, and says so', () => {
    const failures: unknown[] = [];
    const broken = Object.assign(Object.create(null) as KeyValueStore, {
      peek: () => {
        throw new Error('store broken');
      },
    });
    expect((new DeletesInFlight(broken, (error) => failures.push(error)).read(['zstack']) as DeletesByAccount).size).toBe(0);
    expect(failures).toEqual([new Error('store broken')]);
  });

  it('reads a store with no peek (Redis) in one getMany, and asks it nothing for no accounts', async () => {
    const store = new MemoryStore();
    const asked: string[][] = [];
    const remote = Object.assign(Object.create(null) as KeyValueStore, {
      ...store,
      peek: undefined,
      get: store.get.bind(store),
      setIfAbsent: store.setIfAbsent.bind(store),
      replaceIfEqual: store.replaceIfEqual.bind(store),
      getMany: <T>(keys: readonly string[]) => {
        asked.push([...keys]);
        return store.getMany<T>(keys);
      },
    });
    const deletes = new DeletesInFlight(remote);
    const deleted = backup('zstack', 'vm-1', 'b1');
    await deletes.started(deleted, deleteOf(deleted, 'RUNNING'), 60_000);
    expect((await deletes.read([])).size).toBe(0);
    expect(asked).toEqual([]);
    const found = await deletes.read(['zstack', 'danube']);
    expect(backupsOf(found, 'zstack')).toEqual([backupListKey(deleted)]);
    expect(asked).toEqual([['zstack', 'danube']]);
  });

  it('shows a delete at an account of a kind with no give-up time as long as the default give-up of Zomro and OnApp', () => {
    expect(DELETE_SHOWN_AT_MOST_MS).toBe(ZOMRO_GIVE_UP_MS);
    expect(DELETE_SHOWN_AT_MOST_MS).toBe(ONAPP_GIVE_UP_MS);
    expect(DELETE_SHOWN_AT_MOST_MS).toBe(7_200_000);
  });

  it('claims the look at an unpolled delete for one caller per period: due DELETE_CHECKED_EVERY_MS after its last look, never twice at once', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(5_000_000);
    const deletes = new DeletesInFlight(new MemoryStore());
    const deleted = backup('zstack', 'vm-1', 'b1');
    const operation = operationId(deleteOf(deleted, 'RUNNING'));
    await deletes.started(deleted, deleteOf(deleted, 'RUNNING'), 7_200_000);
    const record = () => (deletes.read(['zstack']) as DeletesByAccount).get('zstack')![0]!;
    // The delete's own answer is its first look.
    expect(record().checkedAt).toBe(5_000_000);
    expect(checkDue(record(), 5_000_000 + DELETE_CHECKED_EVERY_MS - 1)).toBe(false);
    expect(await deletes.claimCheck('zstack', operation, 'a', 5_000_000 + DELETE_CHECKED_EVERY_MS - 1)).toBe(false);
    const later = 5_000_000 + DELETE_CHECKED_EVERY_MS;
    expect(checkDue(record(), later)).toBe(true);
    // Two claims in the same millisecond (two requests, two replicas): one wins.
    const claims = await Promise.all([deletes.claimCheck('zstack', operation, 'a', later), deletes.claimCheck('zstack', operation, 'b', later)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(record()).toMatchObject({ checkedAt: later, checkedBy: claims[0] ? 'a' : 'b', until: 5_000_000 + 7_200_000 });
    expect(await deletes.claimCheck('zstack', operation, 'c', later + DELETE_CHECKED_EVERY_MS - 1)).toBe(false);
    expect(await deletes.claimCheck('zstack', operation, 'c', later + DELETE_CHECKED_EVERY_MS)).toBe(true);
    // No such record, or no records at all: nothing to claim, nothing written.
    expect(await deletes.claimCheck('zstack', 'another operation', 'd', later * 2)).toBe(false);
    expect(await deletes.claimCheck('danube', operation, 'd', later * 2)).toBe(false);
    expect((deletes.read(['danube']) as DeletesByAccount).size).toBe(0);
  });

  it("counts a record of an earlier version (no checkedAt) due at once, and reads a checkedAt or checkedBy of another type as no record", async () => {
    const store = new MemoryStore();
    const earlier = { instance: 'vm-1', backup: 'b1', operation: 'op-1', until: Date.now() + 60_000 };
    await store.set('zstack', [earlier, { ...earlier, operation: 'op-2', checkedAt: '1' }, { ...earlier, operation: 'op-3', checkedAt: 1, checkedBy: 7 }], 60_000);
    const deletes = new DeletesInFlight(store);
    expect((deletes.read(['zstack']) as DeletesByAccount).get('zstack')).toEqual([earlier]);
    expect(checkDue(earlier, Date.now())).toBe(true);
    expect(await deletes.claimCheck('zstack', 'op-1', 'a', Date.now())).toBe(true);
  });

  it("claims one record's look without touching the account's other records", async () => {
    const store = new MemoryStore();
    const until = Date.now() + 60_000;
    const [due, other] = [
      { instance: 'vm-1', backup: 'b1', operation: 'op-1', until },
      { instance: 'vm-1', backup: 'b2', operation: 'op-2', until, checkedAt: 17, checkedBy: 'someone' },
    ];
    await store.set('zstack', [due, other], 60_000);
    const deletes = new DeletesInFlight(store);
    const now = Date.now();
    expect(await deletes.claimCheck('zstack', 'op-1', 'a', now)).toBe(true);
    expect((deletes.read(['zstack']) as DeletesByAccount).get('zstack')).toEqual([{ ...due, checkedAt: now, checkedBy: 'a' }, other]);
  });

  it('is no claim where every write lost to another replica, nor where the store took the read and not the write in time', async () => {
    const store = new MemoryStore();
    const record = { instance: 'vm-1', backup: 'b1', operation: 'op-1', until: Date.now() + 60_000 };
    await store.set('zstack', [record], 60_000);
    let tries = 0;
    // Another replica writes the account's records between each read and write (its own delete's record).
    const racing = Object.assign(Object.create(null) as KeyValueStore, {
      ...store,
      get: store.get.bind(store),
      peek: store.peek.bind(store),
      replaceIfEqual: async <T>(key: string, holding: T, value: unknown, ttlMs: number) => {
        tries += 1;
        await store.set(key, [record, { ...record, backup: `b${tries + 1}`, operation: `op-${tries + 1}` }], 60_000);
        return store.replaceIfEqual(key, holding, value, ttlMs);
      },
    });
    expect(await new DeletesInFlight(racing).claimCheck('zstack', 'op-1', 'a', Date.now())).toBe(false);
    expect(tries).toBe(3);

    const failures: unknown[] = [];
    await store.set('zstack', [record], 60_000);
    const unwritten = Object.assign(Object.create(null) as KeyValueStore, {
      ...store,
      get: store.get.bind(store),
      peek: store.peek.bind(store),
      replaceIfEqual: () => new Promise<boolean>(() => {}),
    });
    expect(await new DeletesInFlight(unwritten, (error) => failures.push(error)).claimCheck('zstack', 'op-1', 'a', Date.now())).toBe(false);
    expect(failures).toHaveLength(1);
  });

  it('claims nothing, writes nothing and reports no store failure for a record not due', async () => {
    const failures: unknown[] = [];
    const store = new MemoryStore();
    const now = Date.now();
    const record = { instance: 'vm-1', backup: 'b1', operation: 'op-1', until: now + 60_000, checkedAt: now, checkedBy: 'a' };
    await store.set('zstack', [record], 60_000);
    expect(await new DeletesInFlight(store, (error) => failures.push(error)).claimCheck('zstack', 'op-1', 'b', now + 1)).toBe(false);
    expect(failures).toEqual([]);
    expect(await store.get('zstack')).toEqual([record]);
  });

  it("on a store that stopped answering, waits for one write, then sends the next ones without waiting for them, until one answers in time again", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const gated = gatedStore();
    const failures: unknown[] = [];
    const deletes = new DeletesInFlight(gated.store, (error) => failures.push(error));
    const [first, second, third] = ['b1', 'b2', 'b3'].map((id) => backup('zstack', 'vm-1', id)) as [Backup, Backup, Backup];

    gated.stall();
    const firstWrite = deletes.started(first, deleteOf(first, 'RUNNING'), 60_000);
    expect(await settledAtOnce(firstWrite)).toBe(false);
    await vi.advanceTimersByTimeAsync(DELETES_STORE_WAIT_MS);
    expect(await settledAtOnce(firstWrite)).toBe(true);
    expect(failures).toHaveLength(1);

    // Late: a delete's record and a finished delete's end are sent, and their callers go on at once.
    expect(await settledAtOnce(deletes.started(second, deleteOf(second, 'RUNNING'), 60_000))).toBe(true);
    expect(await settledAtOnce(deletes.seen(deleteOf(first, 'FAILED')))).toBe(true);
    expect(gated.changesSent()).toBe(3);

    // The store answers again, those writes within their wait: the next write is waited for again.
    gated.flow();
    await turns();
    expect(failures).toHaveLength(1);
    // The write sent without waiting landed (the first one too, late: its wait ran out, not its write).
    expect(backupsOf(await deletes.read(['zstack']), 'zstack')).toContain(backupListKey(second));
    gated.stall();
    const thirdWrite = deletes.started(third, deleteOf(third, 'RUNNING'), 60_000);
    expect(await settledAtOnce(thirdWrite)).toBe(false);
    gated.flow();
    await thirdWrite;
    expect(backupsOf(await deletes.read(['zstack']), 'zstack')).toEqual(expect.arrayContaining([backupListKey(second), backupListKey(third)]));
  });

  it('claims nothing where the store does not answer, and says so', async () => {
    const failures: unknown[] = [];
    const stalled = new DeletesInFlight(silentStore(), (error) => failures.push(error));
    expect(await stalled.claimCheck('zstack', 'op-1', 'a', Date.now())).toBe(false);
    expect(failures).toHaveLength(1);
  });
});
