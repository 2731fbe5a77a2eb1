import { idTextOrNull } from '../native-id.js';
import type { RestoresBefore } from './restore-place.js';

/**
 * How many pages of a VM's transactions one poll of a restore reads at most.
 * OnApp pages the list (the PHP wrapper's `getList($page)` sends `page`)
 * without documenting its page size or order, nor any filter by parent or
 * associated object, and a restore answers with the backup, not its
 * transaction's id (providers.md: `GET /transactions/{id}.json` exists, but
 * "Create and restore return no job id"). So the restore's transaction is
 * looked for in the list, above the watermark (the newest transaction listed
 * before its series' first restore was asked): the page that reaches the
 * watermark is found by doubling the page number, then halving the gap, which
 * costs some 2 log2(pages) reads, and the pages above it are read up to its
 * bound (see findRestoreCandidates). This many finds it under some 2,000 pages
 * of newer transactions with some 20 pages between; past that the poll reads
 * RUNNING, saying so, until the account's restoreGiveUpMs, then FAILED saying so: the
 * restore was sent, and the pages not read may hold its transaction (FAILED at 30
 * minutes, it was a false end for a restore at work, or done; RUNNING at any age, a
 * restore whose earlier restores were never listed never ended).
 */
export const MOST_TRANSACTION_READS = 48;

/** What a lookup answers when its reads ran out first: the transaction may be on a page not read. */
export const READS_SPENT = 'reads-spent';

/**
 * What a lookup answers for an operation id whose third part (the newest transaction the restore
 * read itself) is above every transaction the VM lists: no restore the gateway made read it.
 */
export const NO_SUCH_READ = 'no-such-read';

/**
 * How far above the watermark's page a restore's transaction is looked for: up to the newest
 * transaction the restore read itself (`readBefore`, the operation id's third part: read once its
 * POST was answered, or before the POST; the watermark where it has none) and the transactions of
 * the restores before it in its series. `verified` says the gateway wrote that reach when it sent
 * the restore (see the adapter's restoreBackup): the operation id is the client's, and a third part
 * far above the watermark, or a place past restores never listed, made each poll read every page
 * up to the first (48 reads). Unverified, the look reads the watermark's page and the two above,
 * what a restore that read its series' watermark and came first reads.
 */
export interface RestoreReach {
  readonly readBefore: number;
  readonly verified: boolean;
}

/** How many pages above its bound (see findRestoreCandidates) the restore's transaction is looked for on. */
const PAGES_ABOVE_BOUND = 2;

export type TransactionRow = Record<string, unknown>;

/** The VM's transactions on page `page` (1 = the first, as an unpaged read answers). */
export type ReadTransactionPage = (page: number) => Promise<TransactionRow[]>;

/**
 * The newest value of `id` among `rows`, 0 when none has a usable one. A loop, not
 * `Math.max(...ids)`: spread into arguments, a list of some 120,000 rows (3 MB of JSON, well
 * within an answer's 32 MB) overflowed the stack, and the restore was an INTERNAL_SERVER_ERROR.
 */
export function newestTransactionId(rows: readonly TransactionRow[]): number {
  let newest = 0;
  for (const row of rows) {
    const id = transactionId(row);
    if (Number.isSafeInteger(id) && id > newest) newest = id;
  }
  return newest;
}

/** How many `restore_backup` transactions `rows` (a page read newest first) list above `watermark`: at least that many are listed. */
export function restoresListedAbove(rows: readonly TransactionRow[], watermark: number): number {
  return rows.filter((row) => row.action === 'restore_backup' && transactionId(row) > watermark).length;
}

/**
 * A row's `id` as a number, NaN where it is no number or numeric text: Number() of a list
 * nested deep (JSON.parse reads one) overflowed the stack, and the restore's poll failed.
 */
const transactionId = (row: TransactionRow): number => (typeof row.id === 'number' || typeof row.id === 'string' ? Number(row.id) : Number.NaN);

/** Where a page stands against the watermark: all newer, reaching it (or past it), or past the list's end. */
type PageStanding = 'newer' | 'reaches' | 'end';

/**
 * The `restore_backup` transaction of `backupNativeId` nearest above
 * `newestBefore` (the newest transaction listed before the restore was
 * asked): the oldest one the VM lists after the restore was asked, so the
 * restore's own. A later restore of the same backup (another client's) is
 * newer, and is not this one's outcome.
 *
 * OnApp's control panel lists the newest first. Pages are read to find the
 * first one that is not all newer than the watermark: page 1, 2, 4, 8, ...
 * until one is not, then the pages between are halved. That page, then the
 * pages above it up to the bound (see findRestoreCandidates) and two more,
 * are searched for the transaction; at most `MOST_TRANSACTION_READS` pages are
 * read in all, each at most once.
 *
 * A page that brings nothing not already read counts as past the end: the
 * list's end, or a server that ignores `page` and answers the first page
 * again.
 *
 * Were OnApp to list oldest first, the watermark (taken from the first page)
 * would be too low and an earlier restore of the same backup could be read as
 * this one's outcome: the order before this reader existed, so no worse.
 *
 * `restoresBefore` is how many restores of the VM that read the same watermark
 * were asked before this one (its place among them, see the adapter's
 * restoreBackup): a transaction naming only the VM is handed out in that
 * order, so this one's is the one after theirs. Taken as the first, two
 * restores asked at once both read the older one, and the later restore
 * reported the earlier one's outcome (a SUCCEEDED for a restore that failed).
 * A transaction naming this backup is taken in that order too: two restores of
 * one backup at once (two operators restoring the latest backup) are told
 * apart only so; matched by id first, both took the older transaction. Where
 * the transaction at this place names another backup (the order did not hold),
 * this backup's is matched by id.
 */
export async function findRestoreTransaction(readPage: ReadTransactionPage, backupNativeId: string | null, newestBefore: number, accountId: string, restoresBefore = 0): Promise<TransactionRow | undefined> {
  const found = await findRestoreCandidates(readPage, backupNativeId, newestBefore, accountId, { sent: restoresBefore, uncertain: 0 });
  return typeof found === 'string' ? undefined : found?.listed[0];
}

/** The transactions that may be a restore's own (see findRestoreCandidates). */
export interface RestoreCandidates {
  /** Listed, oldest first; none names another backup. */
  readonly listed: readonly TransactionRow[];
  /** Whether a position the restore's own transaction may hold is not listed yet. */
  readonly unlisted: boolean;
}

/**
 * As findRestoreTransaction, when restores before this one may or may not have reached OnApp
 * (`before.uncertain`: their POST failed after it may have been sent). This restore's transaction
 * is then the one after the `before.sent` restores' and however many of the uncertain ones reached
 * OnApp: one of the positions from `before.sent` to `before.sent + before.uncertain`. Those listed,
 * but for any naming another backup, are the candidates; `unlisted` says some position is not
 * listed yet. Undefined when no position is listed; READS_SPENT when the reads ran out first;
 * NO_SUCH_READ when an unverified `reach` names a read above every transaction listed.
 *
 * The pages above the watermark's are searched up to a bound, then two more: the restore's
 * transaction is below, or just above, the VM's newest transaction read once its POST was answered,
 * and above the newest it read before its POST (`reach.readBefore` is the later of the two it
 * carries: one that joined an older series read a newer one than the series' watermark) and above the
 * transactions of the `before.sent` restores before it (it POSTed once they were answered). So a
 * page holding a transaction at or below `readBeforeSend`, or read while those restores are not all
 * found, keeps the search going, however many other transactions (reboots, backups) lie between;
 * past them, two pages more at most. A restore that read the series' watermark, with its earlier
 * restores on the watermark's page, reads that page and the two above it, as before: searched
 * only so far, a restore that joined its series after 20 or more other transactions were listed was
 * never found, and FAILED after 30 minutes. Only a `reach` the gateway wrote is searched so (see
 * RestoreReach): otherwise the watermark's page and the two above.
 */
export async function findRestoreCandidates(
  readPage: ReadTransactionPage,
  backupNativeId: string | null,
  newestBefore: number,
  accountId: string,
  before: RestoresBefore,
  reach: RestoreReach = { readBefore: newestBefore, verified: true },
): Promise<RestoreCandidates | typeof READS_SPENT | typeof NO_SUCH_READ | undefined> {
  const readBeforeSend = reach.verified ? reach.readBefore : newestBefore;
  const positions = before.uncertain + 1;
  const pages = new Map<number, { standing: PageStanding; rows: TransactionRow[] }>();
  const seen = new Set<string>();
  let reads = 0;
  /** A page as read once, or undefined once the reads are spent. */
  const read = async (page: number) => {
    const known = pages.get(page);
    if (known) return known;
    if (reads >= MOST_TRANSACTION_READS) return undefined;
    reads += 1;
    const fresh = (await readPage(page)).filter((row) => {
      // A row without a usable id is no transaction this can order or match.
      const id = transactionId(row);
      if (Number.isNaN(id)) return false;
      const key = String(id);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const standing: PageStanding = fresh.length === 0 ? 'end' : fresh.some((row) => transactionId(row) <= newestBefore) ? 'reaches' : 'newer';
    const entry = { standing, rows: fresh };
    pages.set(page, entry);
    return entry;
  };

  // The last page read that is all newer (0: none) and the first that is not.
  let newer = 0;
  let notNewer = 1;
  for (;;) {
    const page = await read(notNewer);
    if (!page) return READS_SPENT;
    // The first page holds the newest transactions: a read above them all was read by no restore.
    if (notNewer === 1 && !reach.verified && reach.readBefore > newestTransactionId(page.rows)) return NO_SUCH_READ;
    if (page.standing !== 'newer') break;
    newer = notNewer;
    notNewer *= 2;
  }
  while (notNewer - newer > 1) {
    const middle = Math.floor((newer + notNewer) / 2);
    const page = await read(middle);
    if (!page) return READS_SPENT;
    if (page.standing === 'newer') newer = middle;
    else notNewer = middle;
  }

  // The transaction is on the page reaching the watermark (the last page with records, when none
  // does), on a page up to its bound, or just above that when others came between the bound and the
  // restore's POST: not further, or a restore not listed yet would read every page up to the first.
  // Pages are searched oldest first, so the VM's restores gathered so far are older than any on a
  // page not read yet: their order, and so the one handed to this restore, holds.
  const restores: TransactionRow[] = [];
  // A transaction naming a backup the gateway cannot read back (idTextOrNull throws: a hostile
  // panel's id) keeps its place, since restores are matched by their place among the VM's restores:
  // one left out would move every later restore up a place and answer another restore's outcome as
  // this one's. It is neither this backup's nor another's: a restore whose place it holds is
  // PROVIDER_ERROR INVALID_RESPONSE (it may be its own), and every other restore of the VM reads on
  // past it. Thrown wherever it was met, one such row failed every restore read of the VM.
  const namedBackup = (row: TransactionRow): { id: string | null } | { unreadable: unknown } => {
    try {
      return { id: idTextOrNull(row.associated_object_id, accountId) };
    } catch (error) {
      return { unreadable: error };
    }
  };
  const namesOther = (row: TransactionRow) => {
    if (namesNoBackup(row)) return false;
    const named = namedBackup(row);
    return 'id' in named && named.id !== backupNativeId;
  };
  const namesThis = (row: TransactionRow) => {
    if (namesNoBackup(row)) return false;
    const named = namedBackup(row);
    return 'id' in named && named.id === backupNativeId;
  };
  /** Every position listed, and one of them may be this restore's, or this backup's is matched by id (see below). */
  const settled = () => {
    const inPositions = restores.slice(before.sent, before.sent + positions);
    return inPositions.length === positions && (inPositions.some((row) => !namesOther(row)) || restores.some(namesThis));
  };
  // Pages searched above the last one within the bound; the watermark's own page is within it.
  let pastBound = -1;
  for (let page = notNewer; page >= 1 && pastBound < PAGES_ABOVE_BOUND; page -= 1) {
    const entry = await read(page);
    if (!entry) return READS_SPENT;
    if (entry.standing === 'end') continue;
    restores.push(...entry.rows.filter((row) => row.action === 'restore_backup' && transactionId(row) > newestBefore).sort((a, b) => transactionId(a) - transactionId(b)));
    if (settled()) break;
    const withinBound = pastBound === -1 || (reach.verified && restores.length < before.sent) || entry.rows.some((row) => transactionId(row) <= readBeforeSend);
    pastBound = withinBound ? 0 : pastBound + 1;
  }
  // The VM's restores before this one's positions are earlier restores', those past them later ones'.
  const inPositions = restores.slice(before.sent, before.sent + positions);
  if (inPositions.length === 0) return undefined;
  const listed = inPositions.filter((row) => !namesOther(row));
  for (const row of listed) {
    const named = namesNoBackup(row) ? null : namedBackup(row);
    if (named && 'unreadable' in named) throw named.unreadable;
  }
  if (listed.length > 0) return { listed, unlisted: inPositions.length < positions };
  // Only transactions naming another backup where this one's should be: the POSTs reached OnApp in
  // another order than the places were taken (or a restore from OnApp's panel came between), so
  // this backup's is matched by id, as before places.
  const named = restores.find(namesThis);
  return named ? { listed: [named], unlisted: false } : { listed: [], unlisted: inPositions.length < positions };
}

/**
 * Whether a `restore_backup` transaction names no backup. Which object it names is not documented:
 * `parent_type` is "the transaction target (virtual server, disk or hypervisor)", never a backup,
 * and the docs' VS transaction example associates its VirtualMachine. One that names a backup is
 * that backup's restore; one whose associated object is something else (its VM, its disk) is a
 * restore of the VM, told apart from the VM's other restores only by order. Read as the backup's
 * id, such a transaction was never matched, and every restore ended FAILED after
 * `UNSEEN_RESTORE_GIVES_UP_MS`. No type said: the id is read as the backup's, as before.
 */
function namesNoBackup(row: TransactionRow): boolean {
  return typeof row.associated_object_type === 'string' && row.associated_object_type !== 'Backup';
}
