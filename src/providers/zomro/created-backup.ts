import type { Backup } from '../../domain/types.js';

/**
 * How far before a create's start its backup's `createdate` may read and still
 * be its own. Zomro's backup document shows a date alone ("2024-07-23"), read
 * as midnight UTC, in the panel's zone: a backup made late in the day in a
 * zone behind UTC, or made just after a create started before midnight, reads
 * up to two days before the moment it was asked for.
 */
const EARLIER_THAN_START_MS = 2 * 24 * 60 * 60 * 1000;

/** A BILLmanager id as a number for ordering (ids grow as objects are made); -1 for one that is no number. */
export const idOrder = (item: { nativeId: string }): number => (/^\d{1,15}$/.test(item.nativeId) ? Number(item.nativeId) : -1);

/**
 * The backup a create made. With the id the create answered, that one.
 * Without one (Zomro's document shows no answer to `instances.fleio_bckps.edit`)
 * the create is known by its name, which Zomro documents no uniqueness for:
 * of the backups of that name not dated before the create (EARLIER_THAN_START_MS),
 * the one with the highest id, BILLmanager's newest. The first of the name was
 * taken, so an older backup of the same name (last week's "nightly") made a
 * create SUCCEEDED at its first poll, whatever became of its own backup.
 */
export function backupOfCreate(backups: readonly Backup[], backupNativeId: string | null, name: string | undefined, startedAt: Date): Backup | undefined {
  if (backupNativeId) return backups.find((backup) => backup.nativeId === backupNativeId);
  const earliest = startedAt.getTime() - EARLIER_THAN_START_MS;
  let newest: Backup | undefined;
  for (const backup of backups) {
    if (backup.name !== name) continue;
    // A dated backup must be no older than the create; an undated one may be one still being made (kept, ordered by id).
    if (backup.createdAt !== null && backup.createdAt.getTime() < earliest) continue;
    if (!newest || idOrder(backup) >= idOrder(newest)) newest = backup;
  }
  return newest;
}
