import { encodeId } from '../../src/domain/ids.js';
import { decodeOperationId } from '../../src/gateway/ids.js';
import { STARTED_OPERATIONS_NAMESPACE, StartedOperations } from '../../src/gateway/started-operations.js';
import type { RedisStore } from '../../src/state/redis-store.js';
import { NamedMemoryStore } from './named-memory-store.js';

/** The gateway's started-operations records in `store` (a memory store's once the gateway has started on it). */
export const startedRecords = (store: NamedMemoryStore | RedisStore): StartedOperations =>
  new StartedOperations(store instanceof NamedMemoryStore ? store.namespaceNamed(STARTED_OPERATIONS_NAMESPACE) : store.namespace(STARTED_OPERATIONS_NAMESPACE, { maxEntries: 100_000 }));

/**
 * An OnApp restore of `vm` from a backup OnApp lists no transaction for: PENDING, polled, for
 * minutes, each call a new operation. Recorded as started, as restoreBackup records its own: a
 * restore with no transaction and no record is NOT_FOUND (Operation.noTraceAtProvider). The
 * record's write is under way when this returns (a memory store's has landed); await `recorded`
 * where the store is Redis.
 */
export function pendingRestore(records: StartedOperations, vm: string, startedAt: number, backup = '999999'): { id: string; recorded: Promise<void> } {
  const id = encodeId('Operation', 'onapp-test', ['RESTORE_BACKUP', String(startedAt), vm, backup]);
  return { id, recorded: records.started(decodeOperationId(id)) };
}
