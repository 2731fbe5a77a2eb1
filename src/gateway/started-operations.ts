import { storeUnavailable } from '../domain/errors.js';
import type { Operation, OperationRef } from '../domain/types.js';
import { OUTCOME_KEPT_MS, OUTCOME_STORE_WAIT_MS } from '../state/kept-outcomes.js';
import { MUTATION_STORE_WAIT_MS, answerWithinMs, withinMsTelling, type StoreFailed } from '../state/bounded-call.js';
import type { KeyValueStore } from '../state/store.js';
import { operationId } from './ids.js';
import { LateInvalidations } from './late-invalidations.js';

/** The store namespace of the operations this gateway started (`started:` in Redis). */
export const STARTED_OPERATIONS_NAMESPACE = 'started';

/** A start record's value: started by a mutation; then, once an answer showed it SUCCEEDED beside its backup, marked so. */
const STARTED = 1;
const SHOWN_SUCCEEDED = 2;

/** What a start record says: none (not started here), started, or started and shown SUCCEEDED beside its backup. */
export type StartRecord = 'none' | 'started' | 'shownSucceeded';

/** What a request the record could not be read for is told, by what it asked. */
const UNANSWERED = {
  cancel: "the gateway's shared store did not answer in time, so it cannot tell whether it started this operation: nothing was sent; send it again",
  read: "the gateway's shared store did not answer in time, so it cannot tell whether it started this operation, which its status rests on: the status is not told; ask again",
} as const;

/**
 * Why a record and not a signature: operation ids are unsigned, built from provider facts, and a
 * client may re-encode them (docs/operations.md). Signing them would need a key every replica
 * shares and keeps across restarts, a config setting that, missing, must refuse to start; and it
 * would turn every id answered before the upgrade, and every id a test or client builds, into a
 * forgery. The gateway already keeps per-operation state in the shared store with the same
 * lifetime (idempotency records, finish times, Zomro restore marks): a record beside them is
 * shared by the replicas and, in Redis, outlives a restart, and its absence means exactly "no
 * mutation of this gateway answered this id", which is what a cancel must know.
 *
 * Only a mutation writes one, so polls of made-up ids cannot fill the store. Keyed by the id as
 * the gateway writes it (decoded and encoded again), so a client's re-encoding of an id finds it.
 */
export class StartedOperations {
  /**
   * Records the store did not take within the mutation's wait (Redis unreachable past ioredis's
   * retries, or slower than 2 s), sent again every second until they land: left, every read of
   * the operation resting on the record (and its cancel) was NOT_FOUND for its 24 h.
   */
  private readonly late: LateInvalidations;

  constructor(
    private readonly store: KeyValueStore,
    private readonly storeFailed: StoreFailed = () => {},
    /** Shared with the Zomro restore marks' (SharedServicesOptions.lateStoreWrites); one of its own when absent. */
    late?: LateInvalidations,
  ) {
    this.late = late ?? new LateInvalidations();
  }

  /**
   * Records an operation a mutation started, before the mutation answers: its client (or a
   * dashboard on another replica) may read or cancel the id at once, and a record not yet written
   * reads NOT_FOUND. Waited for as long as the mutation's other store writes (MUTATION_STORE_WAIT_MS,
   * a Redis blip on a loaded machine; at 250 ms the answer went out before the record landed).
   * Never fails the mutation: the provider has acted. A record the store does not take in time is
   * told (logged and counted: reads and cancels of the id are NOT_FOUND until it lands) and sent
   * again every second until it does.
   */
  async started(operation: OperationRef | Operation): Promise<void> {
    const key = operationId(operation);
    const write = (): Promise<void> => answerWithinMs(this.store.set(key, STARTED, OUTCOME_KEPT_MS), MUTATION_STORE_WAIT_MS);
    try {
      await write();
    } catch (error) {
      this.storeFailed(error);
      this.late.add(key, write, OUTCOME_KEPT_MS);
    }
  }

  /**
   * Whether a mutation of this gateway (any replica sharing the store) started the operation
   * within the last OUTCOME_KEPT_MS. A store that does not answer refuses (STORE_UNAVAILABLE):
   * what it guards is an action at the provider (`cancel`), which must never be taken on a guess,
   * or a status only the record can vouch for (`read`), which is not told on one. Each is told in
   * its own words: a read's refusal said "nothing was sent", a cancel's, to a client polling.
   */
  async wasStarted(ref: OperationRef, provider: string, asking: 'cancel' | 'read'): Promise<boolean> {
    return (await this.recordOf(ref, provider, asking)) !== 'none';
  }

  /**
   * As wasStarted, and whether an answer that selected the operation's `backup` has shown it
   * SUCCEEDED (markShownSucceeded): one read of the record for both.
   */
  async recordOf(ref: OperationRef, provider: string, asking: 'cancel' | 'read'): Promise<StartRecord> {
    // getMany: an array once the store answers, so a missing key is told apart from no answer.
    const answer = await withinMsTelling(this.store.getMany<unknown>([operationId(ref)]), OUTCOME_STORE_WAIT_MS, this.storeFailed);
    if (answer === undefined) throw storeUnavailable(UNANSWERED[asking], provider);
    const [record] = answer;
    if (record === undefined || record === null) return 'none';
    return record === SHOWN_SUCCEEDED ? 'shownSucceeded' : 'started';
  }

  /**
   * Notes that an answer showed the operation SUCCEEDED beside its backup (operation-as-shown.ts)
   * while its job or task still read running: later reads of it, here or on another replica,
   * with or without `backup`, read SUCCEEDED too, not RUNNING again. Only over a start record (a
   * made-up id has none, and gets no mark); bounded and never failing the answer: unmarked, a
   * later read tells the provider's word, as before.
   */
  async markShownSucceeded(operation: OperationRef): Promise<void> {
    await withinMsTelling(this.store.replaceIfEqual(operationId(operation), STARTED, SHOWN_SUCCEEDED, OUTCOME_KEPT_MS), OUTCOME_STORE_WAIT_MS, this.storeFailed);
  }
}
