import { sortInTurns } from '../domain/sort-in-turns.js';
import { ROWS_PER_TURN, nextTurn } from '../domain/turns.js';
import type { Backup } from '../domain/types.js';

/**
 * The schema promises backups newest first. Providers list them in their own
 * order (Zomro oldest first, ZStack by uuid), so the gateway sorts once, here, for
 * every provider alike. Backups without a date go last; ties keep the
 * provider's order (Array.prototype.sort is stable).
 */
export function newestFirst(backups: readonly Backup[]): Backup[] {
  // Lists come back from the read cache already sorted: no copy then.
  for (let index = 1; index < backups.length; index++) {
    if (byNewest(backups[index - 1] as Backup, backups[index] as Backup) > 0) return [...backups].sort(byNewest);
  }
  return backups as Backup[];
}

/**
 * `newestFirst` that gives the event loop turns on a list longer than
 * ROWS_PER_TURN: the check that it is already in order goes a slice per turn,
 * and the sort is `sortInTurns`. A shorter list is `newestFirst` itself.
 */
export async function newestFirstInTurns(backups: readonly Backup[]): Promise<Backup[]> {
  if (backups.length <= ROWS_PER_TURN) return newestFirst(backups);
  for (let index = 1; index < backups.length; index++) {
    if (index % ROWS_PER_TURN === 0) await nextTurn();
    if (byNewest(backups[index - 1] as Backup, backups[index] as Backup) > 0) {
      // The check's slice and the sort's first one are a turn's work each.
      await nextTurn();
      return sortInTurns(backups, byNewest);
    }
  }
  return backups as Backup[];
}

function byNewest(a: Backup, b: Backup): number {
  const left = backupRank(a);
  const right = backupRank(b);
  if (left === null) return right === null ? 0 : 1;
  if (right === null) return -1;
  return right - left;
}

/**
 * A backup's rank in `newestFirst`'s order (its time in milliseconds, greater first), for cursors
 * that stand by it (pagination.ts, placeByRank); null for one without a date, which goes last.
 */
export function backupRank(backup: Backup): number | null {
  const time = backup.createdAt?.getTime();
  return time === undefined || Number.isNaN(time) ? null : time;
}
