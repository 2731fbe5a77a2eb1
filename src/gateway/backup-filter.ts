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

/** The filter's status and date bounds (the provider and instance parts choose what is read, before this). */
export function applyBackupFilter(backups: readonly Backup[], filter: BackupFilterInput): Backup[] {
  const statuses = filter.status?.length ? new Set(filter.status) : null;
  const after = filter.createdAfter?.getTime();
  const before = filter.createdBefore?.getTime();
  return backups.filter((backup) => {
    if (statuses && !statuses.has(backup.status)) return false;
    const created = backup.createdAt?.getTime();
    if (after !== undefined && (created === undefined || created < after)) return false;
    if (before !== undefined && (created === undefined || created >= before)) return false;
    return true;
  });
}
