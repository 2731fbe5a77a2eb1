import type { Backup } from './types.js';

/**
 * The latest moment a backup can have been made, in epoch milliseconds: its
 * `createdAt`, or where that is a date alone, the end of the day
 * (`createdAtLatest`). What the protection view judges a backup's age by, and
 * what `filter.createdAfter` compares: a date alone says the backup may be as
 * young as that day's last moment, and reading it as the day's start had a
 * backup made at 23:00 STALE all the next day. A missed backup is seen up to a
 * day late there. Null when the backup has no date.
 */
export function madeByMs(backup: Backup): number | null {
  const latest = backup.createdAtLatest ?? backup.createdAt;
  return latest ? latest.getTime() : null;
}
