import { decimalIdOrder } from '../../domain/decimal-id.js';
import type { Backup } from '../../domain/types.js';
import type { PlaceState } from '../../state/create-order.js';
import { placeOfToken } from './token-place.js';

/**
 * A create's place among the overlapping creates of its disk (see
 * CreateOrder), the token's third part: [diskId, highest, place]. Operation
 * ids made before places, and those of creates a version before 2026-12-04
 * sent on while the store did not answer, have none: they are the first.
 */
export function placeInToken(token: readonly string[]): number {
  return placeOfToken(token[2], 'the creates of its disk');
}

/** The places of one series: the highest backup id its creates read, and each place's state, place 1 first. */
export interface SeriesClaims {
  readonly highest: string;
  readonly places: readonly PlaceState[];
}

/** How many older series of a disk an operation looks through: each is a backup listed while creates overlapped. */
export const OLDER_SERIES_LOOKED_AT = 32;

/**
 * The highest ids older series of a create may have read: the VM's backup
 * ids below `highest` (newest first, at most OLDER_SERIES_LOOKED_AT) and 0,
 * the series of a VM with no backup, returned lowest first. A series never
 * counts itself: a create that read 0 has none. `remembered` adds the ids
 * its creates listed when they took their places (CreateOrder.olderOf): a
 * backup deleted since still names an older series that may be open.
 */
export function olderHighests(backups: readonly Backup[], highest: string, remembered: readonly string[] = []): string[] {
  const ceiling = decimalIdOrder(highest) ?? 0n;
  const below = new Set<bigint>(ceiling > 0n ? [0n] : []);
  for (const text of [...backups.map((backup) => backup.nativeId), ...remembered]) {
    const id = decimalIdOrder(text);
    if (id !== null && id < ceiling) below.add(id);
  }
  return [...below]
    .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))
    .slice(0, OLDER_SERIES_LOOKED_AT)
    .reverse()
    .map(String);
}

/**
 * Whether a backup of the VM can be the one a create of `diskId` made: one
 * of that disk, or an incremental one, which is of the whole VM. "target_type
 * - target for which the backup was taken; For normal backups it is a disk.
 * For incremental backups it's virtual server" (OnApp backups/images docs;
 * its sample: "backup_type": "incremental", "target_type": "VirtualMachine",
 * "disk_id": null). On a cloud of incremental backups the disk's create makes
 * such a backup, which names no disk, and was never found (the create ended
 * FAILED beside it). A backup naming no disk that is not incremental says
 * nothing of its target and is still nobody's.
 *
 * Not covered: creates of two disks of one VM at once there are two series,
 * and may be told of one VM backup. Nothing in OnApp's answers tells which of
 * the two made which VM backup:
 * - the create is documented with no body and no record in its answer (a
 *   record, where an OnApp version sends one, is used, and then the two are
 *   told apart: see OnappAdapter.createBackup);
 * - an incremental backup names the VM, not the disk whose URL was posted
 *   (`target_type` "VirtualMachine", `target_id` the VM's, `disk_id` null);
 * - with no body there is no note or label to mark a create's backup by;
 * - `identifier` is documented as "disk identifier", but for a backup of the
 *   whole VM whose identifier it is is not said (the docs' incremental sample
 *   does not show it), so matching it to a disk's would be a guess;
 * - both creates' backups are listed above both series' highest ids, and the
 *   order of the two calls at OnApp is not known.
 * What could still be done is to hand the two VM backups out one each (which
 * to which is arbitrary, both being of the whole VM) by one series per VM on an
 * incremental cloud; CreateOrder's series are per disk, and a VM's first
 * create does not know yet that its cloud is incremental.
 */
const ofDisk = (backup: Backup, diskId: string): boolean => backup.diskId === diskId || (backup.diskId === null && backup.mode === 'INCREMENTAL');

/**
 * Whether a create can have made the backup: not one OnApp's own schedule
 * made ("initiated - period when backup is initiated: days, weeks, months,
 * or years"; a backup taken on request reads "manual", the docs' sample).
 * A schedule firing between a create's list read and its call makes a
 * backup with a lower id than the create's, which the create took for its
 * own. A backup whose origin is not known may still be the create's.
 */
const madeByCreate = (backup: Backup): boolean => backup.origin !== 'SCHEDULED';

/**
 * The native id of the backup the last place of the last series made, or
 * undefined while it is not listed. Backups are handed out to the creates
 * in the order of (series' highest id, place): each takes the lowest new
 * backup of `diskId` above its series' highest id that no create before it
 * took, as OnApp's ids grow. A place that found its backup keeps it; a
 * place given up takes none.
 *
 * So a create that read a newer highest id skips the backups of creates of
 * an older series still unlisted when it started: A and C read 10, A's 11
 * is listed, B reads 11; C takes 12 and B 13, where counting B's series
 * alone would give B C's backup. Two creates in flight at once may still
 * swap backups with each other (the order of their calls at OnApp is not
 * known); two never get one.
 */
export function backupOfCreate(backups: readonly Backup[], diskId: string, series: readonly SeriesClaims[]): string | undefined {
  const found = new Set<string>();
  for (const { places } of series) for (const state of places) if (typeof state === 'object') found.add(state.found);
  const fresh = backups
    .filter((backup) => ofDisk(backup, diskId) && madeByCreate(backup) && !found.has(backup.nativeId))
    .flatMap((backup) => {
      const id = decimalIdOrder(backup.nativeId);
      return id === null ? [] : [{ id, nativeId: backup.nativeId }];
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Highest ids never fall from one series to the next, and each take is above the last: one pass.
  let next = 0;
  const lastSeries = series.length - 1;
  for (const [seriesIndex, { highest, places }] of series.entries()) {
    const above = decimalIdOrder(highest) ?? 0n;
    for (const [placeIndex, state] of places.entries()) {
      const mine = seriesIndex === lastSeries && placeIndex === places.length - 1;
      if (typeof state === 'object') {
        if (mine) return state.found;
        continue;
      }
      // Given up: it made nothing, so it takes nothing (and, were it the one asking, finds nothing).
      if (state === 'given-up') continue;
      while (next < fresh.length && fresh[next]!.id <= above) next++;
      if (mine) return fresh[next]?.nativeId;
      next++;
    }
  }
  return undefined;
}

/** The highest backup id listed, exactly ('0' for none): the series a create counts from (OnappAdapter.takePlace). */
export function highestBackupId(backups: readonly Backup[]): string {
  let highest = 0n;
  for (const backup of backups) {
    const id = decimalIdOrder(backup.nativeId);
    if (id !== null && id > highest) highest = id;
  }
  return String(highest);
}
