import { badInput } from '../domain/errors.js';
import { madeByMs } from '../domain/backup-made-by.js';
import type { Backup } from '../domain/types.js';

export interface BackupFilterInput {
  providerId?: string | null;
  /** A provider kind as the adapters name it (lower case). */
  kind?: string | null;
  instanceId?: string | null;
  status?: readonly string[] | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
}

/**
 * Refuses date bounds that leave no room (`createdAfter` at or past
 * `createdBefore`: the one is inclusive, the other not), before any upstream
 * call. Like an empty status list, it matches nothing, and a client that
 * swapped the two would read the empty page as "no backups".
 */
export function checkBackupFilter(filter: BackupFilterInput): void {
  const after = filter.createdAfter?.getTime();
  const before = filter.createdBefore?.getTime();
  if (after !== undefined && before !== undefined && after >= before) throw badInput('filter.createdAfter must be before filter.createdBefore');
}

/** The filter's status and date bounds (the provider and instance parts choose what is read, before this). */
export function applyBackupFilter(backups: readonly Backup[], filter: BackupFilterInput): Backup[] {
  const statuses = filter.status?.length ? new Set(filter.status) : null;
  const after = filter.createdAfter?.getTime();
  const before = filter.createdBefore?.getTime();
  return backups.filter((backup) => {
    if (statuses && !statuses.has(backup.status)) return false;
    const created = backup.createdAt?.getTime();
    // A date alone (Zomro) is kept while its day reaches the bound: the backup may be as young as the day's end.
    if (after !== undefined && (created === undefined || (madeByMs(backup) as number) < after)) return false;
    if (before !== undefined && (created === undefined || created >= before)) return false;
    return true;
  });
}
