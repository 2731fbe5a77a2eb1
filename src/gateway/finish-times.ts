import type { Operation } from '../domain/types.js';
import { withinMsTelling, type StoreFailed } from '../state/bounded-call.js';
import type { KeyValueStore } from '../state/store.js';
import { IDEMPOTENCY_TTL_MS } from './idempotency.js';
import { operationId } from './ids.js';

/**
 * How long an operation the gateway started is followed: as long as an
 * idempotency record, never longer (under Redis's volatile-ttl eviction a
 * longer-lived key would outlast, and so evict first, the records a retry
 * depends on).
 */
export const FINISH_TIME_KEPT_MS = IDEMPOTENCY_TTL_MS;
/** A slow or unreachable store must not hold an answer: past this, this read's time is the answer. */
export const FINISH_TIME_STORE_WAIT_MS = 250;
/** Stored for an operation started here and not yet seen finished. */
const NOT_SEEN_FINISHED = -1;

/**
 * Providers seldom say when their work ended and operation ids carry no end:
 * an operation is finished when a read finds it so, and `finishedAt` was that
 * read's time, new on every read. For the operations this gateway started
 * (a mutation's payload marks them), the first time seen finished is kept in
 * the shared store, so every later read, on any replica, answers it. Only a
 * mutation writes a new key: an operation id is the client's to make up, and
 * reads of made-up ids (a DELETE_BACKUP of nothing reads SUCCEEDED at once)
 * filled the store otherwise.
 */
export class FinishTimes {
  constructor(
    private readonly store: KeyValueStore,
    /** Told of each failure of the marks and the finish times (`finish_times` in the store-failure count). */
    private readonly failed: StoreFailed = () => {},
    /** Told of each failure of `startedHere`: counted as `failed` is, logged with what it cost. */
    private readonly startedHereFailed: StoreFailed = failed,
  ) {}

  /** Marks the operations a mutation started; never fails the mutation. */
  async started(operations: readonly Operation[]): Promise<void> {
    await Promise.all(
      operations.map((operation) => this.bounded(this.store.setIfAbsent(keyOf(operation), operation.finishedAt?.getTime() ?? NOT_SEEN_FINISHED, FINISH_TIME_KEPT_MS))),
    );
  }

  /**
   * Whether a mutation of this gateway (any replica sharing the store) started `operation`; false
   * when the store fails or does not answer in time. The read cache is then not emptied for the
   * operation (cache-invalidation.ts): its instance's (a sync's: its account's) cached reads stay
   * until they expire (the account's cacheTtlMs), so for that long a backup just made is missing
   * from cached lists, or one just deleted or restored over still shows as it was, on every
   * replica. Emptying it anyway would let anyone who may read empty the cache with made-up ids
   * whenever the store is slow; so the failure is told, for the operator to see why.
   */
  async startedHere(operation: Operation): Promise<boolean> {
    return (await withinMsTelling(this.store.get<number>(keyOf(operation)), FINISH_TIME_STORE_WAIT_MS, this.startedHereFailed)) !== undefined;
  }

  async of(operation: Operation): Promise<Date | null> {
    const seen = operation.finishedAt;
    if (!seen) return null;
    const key = keyOf(operation);
    const stored = await this.bounded(this.store.get<unknown>(key));
    // Not started here (or the store did not answer in time): this read's time.
    if (stored === undefined) return seen;
    // A time another writer stored in a shape of its own (a string, null, past any Date) is
    // taken as not seen yet: an invalid Date failed the field, null read as 1970.
    if (isFinishTime(stored)) return new Date(stored);
    // Only over what was read: two replicas reading the operation finished at once each stored their
    // own time with a plain set, and each answered it, so the operation had two finishedAt.
    const kept = await this.bounded(this.store.replaceIfEqual(key, stored, seen.getTime(), FINISH_TIME_KEPT_MS));
    if (kept !== false) return seen;
    // Another read stored its time first: every reader answers that one.
    const first = await this.bounded(this.store.get<unknown>(key));
    return isFinishTime(first) ? new Date(first) : seen;
  }

  /** The store's answer, or undefined (the failure told) when it fails or takes longer than FINISH_TIME_STORE_WAIT_MS. */
  private bounded<T>(call: Promise<T>): Promise<T | undefined> {
    return withinMsTelling(call, FINISH_TIME_STORE_WAIT_MS, this.failed);
  }
}

/** A first finish time as this version stores it: epoch milliseconds a Date can hold. */
function isFinishTime(stored: unknown): stored is number {
  return typeof stored === 'number' && stored !== NOT_SEEN_FINISHED && Number.isFinite(stored) && !Number.isNaN(new Date(stored).getTime());
}

/**
 * An operation's key: its id, but for a create without the backup, which a
 * later read may have found (OnApp answers a create with no backup id): the
 * mutation's payload and every later read then name it alike.
 */
function keyOf(operation: Operation): string {
  return operationId(operation.kind === 'CREATE_BACKUP' ? { ...operation, backupNativeId: null } : operation);
}

/** The operations in a mutation's payload: `operation`, or each of `results[].operation` (createBackups). */
export function operationsIn(payload: unknown): Operation[] {
  if (payload === null || typeof payload !== 'object') return [];
  const { operation, results } = payload as { operation?: unknown; results?: unknown };
  if (isOperation(operation)) return [operation];
  return Array.isArray(results) ? results.flatMap((result: unknown) => operationsIn(result)) : [];
}

function isOperation(value: unknown): value is Operation {
  return value !== null && typeof value === 'object' && 'kind' in value && 'startedAt' in value && (value as { startedAt: unknown }).startedAt instanceof Date;
}
