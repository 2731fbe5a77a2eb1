import { idTextOrNull } from '../native-id.js';

/**
 * How many pages of a VM's transactions a restore's poll reads at most. OnApp
 * pages the list (the PHP wrapper's `getList($page)` sends `page`) without
 * documenting its page size or order; its control panel lists the newest
 * first. On a VM busy enough to push the restore's transaction past this many
 * pages, the restore is FAILED once `UNSEEN_RESTORE_GIVES_UP_MS` has passed.
 */
export const MOST_TRANSACTION_PAGES = 5;

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
    const id = Number(row.id);
    if (Number.isSafeInteger(id) && id > newest) newest = id;
  }
  return newest;
}

/**
 * The newest `restore_backup` transaction of `backupNativeId` listed after
 * `newestBefore` (the newest transaction listed before the restore was asked).
 *
 * Pages are read, newest first, until one of these:
 * - the restore's transaction is found;
 * - a transaction at or below the watermark is listed: every newer one has been seen;
 * - a page brings nothing new: the list's end, or a server that ignores `page`
 *   and answers the first page again (then this costs one read more, and only
 *   while the restore's transaction is not listed at all);
 * - `MOST_TRANSACTION_PAGES` pages were read.
 *
 * Were OnApp to list oldest first, the watermark (taken from the first page)
 * would be too low and an earlier restore of the same backup could be read as
 * this one's outcome: the order before this reader existed, so no worse.
 */
export async function findRestoreTransaction(readPage: ReadTransactionPage, backupNativeId: string | null, newestBefore: number, accountId: string): Promise<TransactionRow | undefined> {
  const seen = new Set<string>();
  const candidates: TransactionRow[] = [];
  for (let page = 1; page <= MOST_TRANSACTION_PAGES; page += 1) {
    const fresh = (await readPage(page)).filter((row) => {
      const key = String(row.id);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (fresh.length === 0) break;
    for (const row of fresh) {
      if (row.action === 'restore_backup' && Number(row.id) > newestBefore && idTextOrNull(row.associated_object_id, accountId) === backupNativeId) candidates.push(row);
    }
    if (candidates.length > 0 || fresh.some((row) => Number(row.id) <= newestBefore)) break;
  }
  return candidates.sort((a, b) => Number(b.id) - Number(a.id))[0];
}
