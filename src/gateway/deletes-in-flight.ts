import type { Backup, Operation } from '../domain/types.js';
import { StoreTimeout, answerWithinMs } from '../state/bounded-call.js';
import type { KeyValueStore } from '../state/store.js';
import { backupListKey, operationId } from './ids.js';

/**
 * How long a delete is shown DELETING at most, for an account whose kind has no `backupGiveUpMs`
 * (Danube): as long as the others' default, two hours. Past it the provider's word
 * stands again, whatever became of the delete.
 */
export const DELETE_SHOWN_AT_MOST_MS = 2 * 60 * 60_000;

/**
 * How long a request waits for the record: it improves an answer and must never hold one up (a
 * Redis that is down or slow). The read cache waits as long (READ_CACHE_STORE_WAIT_MS).
 */
export const DELETES_STORE_WAIT_MS = 250;

/**
 * How long a record may go without a look at its operation before a list that meets it has the
 * operation read, once for the whole fleet (`claimCheck`). Lists do not poll operations (the warm
 * path reads no provider), so a delete that FAILED at the provider and that no client polled read
 * DELETING for the whole give-up time (2 h), inviting the user to wait instead of retrying. 30 s
 * is a dashboard refresh or two: at most one status call per delete in flight per 30 s across
 * every replica, and none for a request that meets no record.
 */
export const DELETE_CHECKED_EVERY_MS = 30_000;

/** Changes lost to another replica's change of the same account, tried again before giving up. */
const CHANGE_ATTEMPTS = 3;

/** One delete in flight: its backup (as `backupListKey` names it in its instance's list) and its operation. */
export interface DeleteInFlight {
  readonly instance: string;
  readonly backup: string;
  readonly operation: string;
  /** Epoch ms past which the record no longer counts (the account's give-up time). */
  readonly until: number;
  /**
   * Epoch ms of the last look at the operation: the delete's own answer, then each check claimed.
   * Absent in a record an earlier version wrote (read as due for a check).
   */
  readonly checkedAt?: number;
  /**
   * Who claimed that check: two claims in the same millisecond write different values, so the
   * store's compare and set lets one win (`replaceIfEqual` counts a key already holding the value
   * as set, and both would have checked).
   */
  readonly checkedBy?: string;
}

/**
 * The most records of one account a list has looked at (those unchecked longest first): a bulk
 * clean-up leaves hundreds of deletes in flight, and a look at each at once, every period, took
 * the account's connection slots from the clients' own reads. The rest wait for the next list.
 */
export const MOST_DELETE_CHECKS_PER_LIST = 16;

/** Whether a list that meets this record at `now` should have its operation looked at (see `claimCheck`). */
export const checkDue = (record: DeleteInFlight, now: number): boolean => (record.checkedAt ?? 0) + DELETE_CHECKED_EVERY_MS <= now;

/** What a request reads: each account's deletes in flight, by account id (accounts with none left out). */
export type DeletesByAccount = ReadonlyMap<string, readonly DeleteInFlight[]>;

/**
 * The deletes the gateway started that the provider has not finished, kept in
 * the shared store (one key per account: memory, or Redis shared by the
 * replicas), so every later request, on any replica, shows their backups
 * DELETING where the provider still lists them as they were (ZStack
 * AVAILABLE, Danube PENDING) and a user does not delete one again or trust it
 * for a restore.
 *
 * A record ends when its operation is seen SUCCEEDED or FAILED (a failed
 * delete reads the provider's word again), or at its `until`. Seen by a poll
 * of the operation, or by the one check a list makes of a record gone
 * unchecked for DELETE_CHECKED_EVERY_MS (`claimCheck`, delete-check.ts), so a
 * failed delete no one polls reads DELETING for about that long, not for the
 * give-up time. A backup the
 * provider no longer lists is shown nowhere, so a record of it changes
 * nothing. Best-effort: a store that fails or is slow costs the record (the
 * provider's word is shown), never an answer.
 */
export class DeletesInFlight {
  /**
   * Whether the store's last answer to a change failed or came past DELETES_STORE_WAIT_MS: the
   * writes after it (`started`, `seen`) are sent but not waited for, until one answers in time
   * again. Their answer never depends on the write; it is waited for only so the client's next
   * list, sent once the answer is in, reads the record (one connection keeps commands in order,
   * but a change is a read and then a compare and set). On a Redis that stopped answering that
   * next list's read fails too, so the wait bought nothing and cost every deleteBackup 250 ms.
   */
  private storeLate = false;

  /**
   * Each account's records as this replica last read them, or as its own changes left them since:
   * what a read answers when the store does not. One entry per account of the config.
   */
  private readonly known = new Map<string, unknown>();

  /**
   * A read the store did not answer within DELETES_STORE_WAIT_MS and that has not ended yet (an
   * answer, or ioredis's own command timeout): until it ends the store counts as stalled, and
   * reads answer from `known` at once without asking it. Each list waited its 250 ms, and queued
   * one more read behind the stalled ones, to show the provider's word.
   */
  private stalledRead: Promise<void> | undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly onStoreError: (error: unknown) => void = () => {},
  ) {}

  /** Records a delete the provider has accepted and not yet finished; `shownForMs`: the account's give-up time. */
  async started(backup: Backup, operation: Operation, shownForMs: number): Promise<void> {
    const now = Date.now();
    const record: DeleteInFlight = { instance: backup.instanceNativeId ?? '', backup: backupListKey(backup), operation: operationId(operation), until: now + shownForMs, checkedAt: now };
    const edit: RecordsEdit = (records) => [...records.filter((held) => held.backup !== record.backup || held.instance !== record.instance), record];
    this.knowChange(backup.providerId, edit);
    await this.written(this.change(backup.providerId, edit));
  }

  /** Ends the record of a delete seen finished (SUCCEEDED or FAILED); anything else is left alone. */
  async seen(operation: Operation): Promise<void> {
    if (operation.kind !== 'DELETE_BACKUP' || (operation.status !== 'SUCCEEDED' && operation.status !== 'FAILED')) return;
    const id = operationId(operation);
    const edit: RecordsEdit = (records) => records.filter((held) => held.operation !== id);
    this.knowChange(operation.providerId, edit);
    await this.written(this.change(operation.providerId, edit, true));
  }

  /** This replica's own change, known here before (or whether) the store takes it. */
  private knowChange(providerId: string, edit: RecordsEdit): void {
    const next = edit(liveRecords(this.known.get(providerId), Date.now()));
    if (next !== null) this.known.set(providerId, next);
  }

  /** A write as its caller waits for it: not at all while the store is late (`storeLate`); the write goes on either way. */
  private written(change: Promise<boolean>): Promise<unknown> | undefined {
    return this.storeLate ? undefined : change;
  }

  /**
   * Claims the one look at a delete's operation that its record is due (`checkDue`), for every
   * request and replica: true for the one caller whose compare and set wrote `checkedAt`, false
   * where the record is gone, was checked meanwhile, or the store fails or is slow (the next list
   * past the period tries again). At most one claim per record per DELETE_CHECKED_EVERY_MS.
   * `now`: when the list met the record due, written as `checkedAt` (due-ness is judged on the
   * time the list read, not on whenever the store answers).
   */
  async claimCheck(providerId: string, operation: string, claimant: string, now: number): Promise<boolean> {
    return (await this.claimChecks(providerId, [operation], claimant, now)).has(operation);
  }

  /**
   * `claimCheck` for every operation of `operations` whose record is due, in one change of the
   * account's records: the operations claimed. One change per record, all at once, raced for the
   * same key: each try wrote one claim and lost the others, so a list meeting eight due records
   * claimed three (CHANGE_ATTEMPTS) and left the rest DELETING for later lists.
   *
   * A claim whose change Redis answers after DELETES_STORE_WAIT_MS counts as not claimed, though
   * its write may still land. Harmless, so left so: it can lose a period's look, never double one.
   * Landed late, it holds `checkedAt` as a claim made in time would, so no other list or replica
   * looks this period, and this one does not either; the next list past the period claims again.
   * Not landed (its compare and set lost), another claim won and looks. What a user sees: a backup
   * whose delete failed, and that no one polls, reads DELETING one period longer (about 60 s, not
   * 30 s), and only while Redis answers that slowly; a poll of the operation ends the record
   * whenever it comes. Waiting longer would not help the list, which never waits for the look.
   */
  async claimChecks(providerId: string, operations: readonly string[], claimant: string, now: number): Promise<ReadonlySet<string>> {
    const wanted = new Set(operations);
    let claimed = new Set<string>();
    const written = await this.change(providerId, (records) => {
      const due = new Set(records.filter((held) => wanted.has(held.operation) && checkDue(held, now)));
      claimed = new Set([...due].map((held) => held.operation));
      if (due.size === 0) return null;
      return records.map((held) => (due.has(held) ? { ...held, checkedAt: now, checkedBy: claimant } : held));
    }, true);
    // `claimed` is the last try's: an earlier one's claims lost to another write.
    return written ? claimed : new Set();
  }

  /**
   * The deletes in flight of these accounts: one look per account in memory (no promise), one
   * MGET for all of them on Redis. Where that fails or is slow, the records last known here
   * (`known`; none for an account never read), and while it is still unanswered every read
   * answers so at once (`stalledRead`).
   */
  read(providerIds: readonly string[]): DeletesByAccount | Promise<DeletesByAccount> {
    const { store } = this;
    if (store.peek) {
      try {
        const held: unknown[] = [];
        for (const providerId of providerIds) held.push(store.peek<unknown>(providerId));
        return byAccount(providerIds, held);
      } catch (error) {
        this.onStoreError(error);
        return new Map();
      }
    }
    if (providerIds.length === 0) return new Map();
    if (this.stalledRead) return this.fromKnown(providerIds);
    const asked = store.getMany<unknown>(providerIds);
    return answerWithinMs(asked, DELETES_STORE_WAIT_MS).then(
      (held) => {
        this.remember(providerIds, held);
        return byAccount(providerIds, held);
      },
      (error: unknown) => {
        this.onStoreError(error);
        if (error instanceof StoreTimeout) this.stalledUntilAnswered(asked, providerIds);
        return this.fromKnown(providerIds);
      },
    );
  }

  /** Marks the store stalled until `asked` ends; its answer, should it come, is remembered. Its failure was told already (a timeout). */
  private stalledUntilAnswered(asked: Promise<ReadonlyArray<unknown>>, providerIds: readonly string[]): void {
    const stalled: Promise<void> = asked.then(
      (held) => this.remember(providerIds, held),
      () => undefined,
    );
    this.stalledRead = stalled;
    void stalled.then(() => {
      if (this.stalledRead === stalled) this.stalledRead = undefined;
    });
  }

  private remember(providerIds: readonly string[], held: ReadonlyArray<unknown>): void {
    providerIds.forEach((providerId, index) => this.known.set(providerId, held[index]));
  }

  private fromKnown(providerIds: readonly string[]): DeletesByAccount {
    return byAccount(
      providerIds,
      providerIds.map((providerId) => this.known.get(providerId)),
    );
  }

  /**
   * One account's records, changed by `edit`, written only over what was read (another replica
   * may change them between): a plain write of a list read before lost that replica's delete.
   * `onlyIfHeld`: nothing to do where the account has no records (an ending seen). `edit` answers
   * null where there is nothing to write (a check no longer due). False where nothing was written.
   */
  private async change(providerId: string, edit: RecordsEdit, onlyIfHeld = false): Promise<boolean> {
    try {
      const written = await answerWithinMs(this.changeUnbounded(providerId, edit, onlyIfHeld), DELETES_STORE_WAIT_MS);
      this.storeLate = false;
      return written;
    } catch (error) {
      this.storeLate = true;
      this.onStoreError(error);
      return false;
    }
  }

  private async changeUnbounded(providerId: string, edit: RecordsEdit, onlyIfHeld: boolean): Promise<boolean> {
    for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
      const held = await this.store.get<unknown>(providerId);
      if (held === undefined && onlyIfHeld) return false;
      const now = Date.now();
      const next = edit(liveRecords(held, now));
      if (next === null) return false;
      // The key lives as long as its longest record; an empty one goes at once.
      const ttlMs = Math.max(1, ...next.map((record) => record.until - now));
      const written = held === undefined ? await this.store.setIfAbsent(providerId, next, ttlMs) : await this.store.replaceIfEqual(providerId, held, next, ttlMs);
      if (written) {
        this.known.set(providerId, next);
        return true;
      }
    }
    return false;
  }
}

/** One account's records as changed: null where nothing is to be written. */
type RecordsEdit = (records: readonly DeleteInFlight[]) => DeleteInFlight[] | null;

function byAccount(providerIds: readonly string[], held: ReadonlyArray<unknown>): DeletesByAccount {
  const now = Date.now();
  const found = new Map<string, DeleteInFlight[]>();
  providerIds.forEach((providerId, index) => {
    const records = liveRecords(held[index], now);
    if (records.length > 0) found.set(providerId, records);
  });
  return found;
}

/** The records a stored value holds that still count; anything of another shape (another writer's) counts for nothing. */
function liveRecords(held: unknown, now: number): DeleteInFlight[] {
  if (!Array.isArray(held)) return [];
  return held.filter((record): record is DeleteInFlight => isRecord(record) && record.until > now);
}

function isRecord(value: unknown): value is DeleteInFlight {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.instance === 'string' &&
    typeof record.backup === 'string' &&
    typeof record.operation === 'string' &&
    typeof record.until === 'number' &&
    (record.checkedAt === undefined || typeof record.checkedAt === 'number') &&
    (record.checkedBy === undefined || typeof record.checkedBy === 'string')
  );
}
