import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Backup, Operation } from '../../src/domain/types.js';
import { DeletesInFlight, type DeletesByAccount } from '../../src/gateway/deletes-in-flight.js';
import { backupListKey, operationId } from '../../src/gateway/ids.js';
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

  it('reads nothing of another shape (another writer), and a store that does not answer costs the record, never the read', async () => {
    const store = new MemoryStore();
    await store.set('zstack', [{ backup: 'b1' }, 'text', null], 60_000);
    expect((new DeletesInFlight(store).read(['zstack']) as DeletesByAccount).size).toBe(0);

    const failures: unknown[] = [];
    const stalled = new DeletesInFlight(silentStore(), (error) => failures.push(error));
    const deleted = backup('zstack', 'vm-1', 'b1');
    await stalled.started(deleted, deleteOf(deleted, 'RUNNING'), 60_000);
    expect((await stalled.read(['zstack'])).size).toBe(0);
    expect(failures).toHaveLength(2);
  });
});
