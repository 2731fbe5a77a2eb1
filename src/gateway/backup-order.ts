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

function byNewest(a: Backup, b: Backup): number {
  const left = a.createdAt?.getTime();
  const right = b.createdAt?.getTime();
  if (left === undefined || Number.isNaN(left)) return right === undefined || Number.isNaN(right) ? 0 : 1;
  if (right === undefined || Number.isNaN(right)) return -1;
  return right - left;
}
