import { clipProviderMessage } from '../domain/errors.js';
import { withinMsTelling, type StoreFailed } from './bounded-call.js';
import type { KeyValueStore } from './store.js';

/** The store namespace of the findings (`create-found:` in Redis), beside `create-order:`. */
export const CREATE_FINDINGS_NAMESPACE = 'create-found';
/**
 * How long a create's mark and finding are kept: as long as the gateway
 * follows its operations (the idempotency records' 24 h, as the OnApp places'
 * GIVEN_UP_KEPT_MS), never longer, so under Redis's volatile-ttl eviction it
 * cannot outlast the records a retry depends on.
 */
export const CREATE_FINDING_KEPT_MS = 24 * 60 * 60 * 1000;
/** A slow or unreachable store must not hold a create or a poll: past this the store counts as unanswered. */
export const CREATE_FINDINGS_STORE_WAIT_MS = 250;

const OPEN = 'open';
const FOUND = 'found:';
const SUCCEEDED = 'succeeded';
const FAILED = 'failed:';
/**
 * Between a found backup's name and the VM listing it: no backup name holds it (esdc-ce's names
 * are `[A-Za-z0-9._-]`), so the first one splits them. A replica of the version before reads the
 * pair as a name that is no backup name, and looks the backup up again.
 */
const VM_SEPARATOR = '/';

/**
 * What the store says of a create: `open` when a create of this gateway
 * (any replica sharing the store) started it and no read has seen it end,
 * `{ found }` once one has found its backup, `succeeded` when one saw it
 * succeed without finding its backup (a later read may still find it),
 * `{ failed }` with the error a read saw it fail with, `unmarked` when
 * nothing is stored (an operation id made up, one older than the marks, a
 * mark evicted or expired) or the store did not answer in time.
 */
export type Finding = 'open' | 'unmarked' | 'succeeded' | Found | { readonly failed: string };

/** The backup a read found, and the VM listing it where that is not the create's own (renamed since). */
export interface Found {
  readonly found: string;
  readonly vm?: string;
}

/**
 * The backup a create's operation found, for providers whose finished
 * create names none and whose backup is looked up in a list that changes
 * (Danube: "the one backup of the definition made since the create began"
 * stops being one once the definition runs again). Once found it is
 * remembered under the operation's key, so every later read, on every
 * replica, names the same backup. How the create ended is remembered too:
 * once the provider forgets the task only that list is left to judge it
 * by, and a failed create would read as done by the definition's next run.
 *
 * Only a create writes a mark (`started`): an operation id is the client's
 * to make up, and reads of made-up ids would fill the store otherwise. A
 * finding is written only by a read that saw the mark. Never throws: without
 * the store each read looks again, as before.
 *
 * Each end goes in a key of its own beside the mark, by setIfAbsent, so the
 * first end a read records stays, whatever another replica writes after it:
 * two replicas can both read `open`, and one whose list read came after the
 * definition's next run (two backups, none named) wrote `succeeded`, or a
 * forgotten task's `failed:`, over the other's `found:`, and every read
 * after named no backup, or failed a create that succeeded. A backup found
 * or a failure goes in the end key (first wins); a success without a backup
 * in a key of its own, which a backup found later outranks, and which
 * outranks a failure (Danube's own word against an inference).
 */
export class CreateFindings {
  constructor(
    private readonly store: KeyValueStore,
    /** Told of each failure or wait run out (`create_findings` in the store-failure count). */
    private readonly storeFailed: StoreFailed = () => {},
  ) {}

  private within<T>(call: Promise<T>): Promise<T | undefined> {
    return withinMsTelling(call, CREATE_FINDINGS_STORE_WAIT_MS, this.storeFailed);
  }

  /** Marks a create whose backup is not named yet (its call answered). */
  async started(key: string): Promise<void> {
    await this.within(this.store.setIfAbsent(key, OPEN, CREATE_FINDING_KEPT_MS));
  }

  async of(key: string): Promise<Finding> {
    const [mark, end, success] = (await this.within(this.store.getMany<unknown>([key, endKey(key), successKey(key)]))) ?? [];
    const ended = end === undefined ? 'unmarked' : findingOf(end);
    if (typeof ended === 'object' && 'found' in ended) return ended;
    // A success is written from what Danube said of the create (its task's SUCCESS, or a create
    // done at once); a failure beside it is a read's inference from the list once Danube forgot
    // the task ("2 backups ..."), as a task cannot both succeed and fail.
    if (success === SUCCEEDED) return SUCCEEDED;
    if (typeof ended === 'object') return ended;
    // A mark a replica of the version before wrote its finding over.
    return findingOf(mark);
  }

  /**
   * Records the backup a read found (and the VM now listing it, where the read saw it renamed),
   * when `finding` (read before it) was the create's mark, or its success without a backup.
   */
  async found(key: string, finding: Finding, backupName: string, vm?: string): Promise<void> {
    const value = vm === undefined ? `${FOUND}${backupName}` : `${FOUND}${backupName}${VM_SEPARATOR}${vm}`;
    if (finding === 'open' || finding === SUCCEEDED) await this.record(endKey(key), value);
  }

  /** Records that a read saw the create succeed without finding its backup, over its mark only. */
  async succeeded(key: string, finding: Finding): Promise<void> {
    if (finding === 'open') await this.record(successKey(key), SUCCEEDED);
  }

  /** Records the error a read saw the create fail with, over its mark only. */
  async failed(key: string, finding: Finding, error: string): Promise<void> {
    if (finding === 'open') await this.record(endKey(key), `${FAILED}${error}`);
  }

  /** The first end recorded stays: a replica that read `open` before it must not write over it. */
  private async record(key: string, value: string): Promise<void> {
    await this.within(this.store.setIfAbsent(key, value, CREATE_FINDING_KEPT_MS));
  }
}

/** Where a create's backup found, or its failure, is kept; a mark's key (JSON) ends in "]", so no mark's key is another's end. */
const endKey = (key: string): string => `${key}#end`;
/** Where a create seen succeeding without its backup named is kept. */
const successKey = (key: string): string => `${key}#succeeded`;

/**
 * A stored value as a finding. A value of another shape (a replica of
 * another version, a hand edit) is a mark: a read then looks again, and
 * may write its finding over it. A failure's text becomes the operation's
 * `error` as it is: another writer's is held to what a provider's message
 * may be (one line of at most 300 characters, no control characters).
 */
export function findingOf(stored: unknown): Finding {
  if (stored === undefined || stored === null) return 'unmarked';
  if (typeof stored !== 'string') return 'open';
  if (stored.length > FOUND.length && stored.startsWith(FOUND)) return foundOf(stored.slice(FOUND.length));
  if (stored.startsWith(FAILED)) return { failed: failureText(stored.slice(FAILED.length)) };
  return stored === SUCCEEDED ? SUCCEEDED : 'open';
}

const failureText = (text: string): string => (text === '' ? '' : clipProviderMessage(text));

function foundOf(text: string): Found {
  const split = text.indexOf(VM_SEPARATOR);
  if (split <= 0 || split === text.length - 1) return { found: text };
  return { found: text.slice(0, split), vm: text.slice(split + 1) };
}
