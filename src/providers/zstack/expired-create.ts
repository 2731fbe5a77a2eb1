import type { Backup, OperationStatus } from '../../domain/types.js';

/**
 * How far before a create's start its backup's `createDate` may read and still
 * be its own: ZStack's dates carry no zone and are read in the account's
 * `timezone`, so a node writing another zone's wall clock moves them by up to a
 * day (the largest offsets are 14 hours apart from UTC, 26 from each other).
 */
const EARLIER_THAN_START_MS = 26 * 60 * 60 * 1000;

/** An expired create's backup: found, or several of its name made in the same (newest) second, or none. */
export type ExpiredCreateBackup = { backup: Backup } | { sameSecond: number } | null;

/**
 * The backup a create made, once ZStack has forgotten the create's job (404
 * "the job has been expired"): the group the create's result named, if the
 * gateway read it, else the one holding the `resourceUuid` the create sent
 * (holdsResource), else (a node that gave the uuid to nothing listed, an
 * operation id from before it was sent) the newest group of the create's name dated no
 * earlier than the create (EARLIER_THAN_START_MS). ZStack names are no keys:
 * a group of the same name made before the create (the last "nightly") is
 * another backup, and taking it told a create whose job failed (its flow rolled
 * its backup back, so nothing of its own is listed) SUCCEEDED. An undated group
 * cannot be told from an older one and is not taken. Dates are to the second:
 * several groups of the name in the newest second cannot be told apart, and
 * none is taken (the later listed was, but a query's order is its `sort`,
 * by uuid, and unsorted ZStack promises none). The name is the last resort for another reason:
 * CreateVmBackup's example answer names its volume backups "Root-Volume-Backup-1" under a request
 * named "backup-1" (its description differs from the request's too, so it is read as a sample);
 * a node that did rename would be found only by the group or the resourceUuid.
 */
export function backupOfExpiredCreate(backups: readonly Backup[], name: string | undefined, knownGroup: string | null, startedAt: Date, resourceUuid?: string): ExpiredCreateBackup {
  if (knownGroup) {
    const known = backups.find((backup) => backup.nativeId === knownGroup);
    return known ? { backup: known } : null;
  }
  const chosen = resourceUuid === undefined ? undefined : backups.find((backup) => holdsResource(backup, resourceUuid));
  if (chosen) return { backup: chosen };
  const earliest = startedAt.getTime() - EARLIER_THAN_START_MS;
  let newest: Backup[] = [];
  for (const backup of backups) {
    const made = backup.createdAt?.getTime();
    if (backup.name !== name || made === undefined || made < earliest) continue;
    const newestAt = newest[0]?.createdAt?.getTime();
    if (newestAt === undefined || made > newestAt) newest = [backup];
    else if (made === newestAt) newest.push(backup);
  }
  if (newest.length === 0) return null;
  return newest.length === 1 ? { backup: newest[0] as Backup } : { sameSecond: newest.length };
}

/**
 * Whether a backup is the one a create asked to be made with `resourceUuid` (CreateVmBackup's
 * optional "resourceUuid" parameter, since 3.0.0: the uuid ZStack gives what it makes). Which
 * record takes it is not documented: a VM backup is volume backups sharing a `groupUuid`, so the
 * group's uuid and each volume backup's are both read as it.
 */
function holdsResource(backup: Backup, resourceUuid: string): boolean {
  if (backup.nativeId === resourceUuid) return true;
  const volumes = (backup.raw as { volumes?: unknown }).volumes;
  return Array.isArray(volumes) && volumes.some((volume) => (volume as { uuid?: unknown } | null)?.uuid === resourceUuid);
}

/**
 * A create's end read from its backup's status: made (AVAILABLE, or already
 * being restored or deleted), failed (FAILED: it will not turn ready by
 * waiting; read as RUNNING, such a create was polled for ever), or still being
 * made (any other word).
 */
export function expiredCreateStatus(backup: Backup): OperationStatus {
  if (backup.status === 'AVAILABLE' || backup.status === 'RESTORING' || backup.status === 'DELETING') return 'SUCCEEDED';
  return backup.status === 'FAILED' ? 'FAILED' : 'RUNNING';
}
