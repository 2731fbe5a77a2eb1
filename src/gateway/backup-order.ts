import type { Backup } from '../domain/types.js';

/**
 * The schema promises backups newest first. Providers list them in their own
 * order (Zomro and ZStack oldest first), so the gateway sorts once, here, for
 * every provider alike. Backups without a date go last; ties keep the
 * provider's order (Array.prototype.sort is stable).
 */
export function newestFirst(backups: readonly Backup[]): Backup[] {
  return [...backups].sort((a, b) => {
    const left = a.createdAt?.getTime();
    const right = b.createdAt?.getTime();
    if (left === undefined || Number.isNaN(left)) return right === undefined || Number.isNaN(right) ? 0 : 1;
    if (right === undefined || Number.isNaN(right)) return -1;
    return right - left;
  });
}
