import { badInput } from '../../domain/errors.js';
import type { Backup } from '../../domain/types.js';
import { MOST_OVERLAPPING_CREATES } from '../../state/create-order.js';

/**
 * A create's place among the overlapping creates of its disk (see
 * CreateOrder), the token's third part: [diskId, highest, place]. Operation
 * ids made before places, and creates made while the store did not answer,
 * have none: they are the first.
 */
export function placeInToken(token: readonly string[]): number {
  const text = token[2];
  if (text === undefined) return 1;
  // One spelling per place: "01" would give one operation a second id, and a poll loop of its own.
  const place = /^[1-9]\d{0,2}$/.test(text) ? Number(text) : 0;
  if (place < 1 || place > MOST_OVERLAPPING_CREATES) throw badInput('operation id has no valid place among the creates of its disk');
  return place;
}

/**
 * The backup a create made: the `rank`-th backup of `diskId` with an id above
 * `highest` (the highest id before the call), counted in ascending ids, as
 * OnApp's ids grow. Undefined while it is not listed.
 */
export function nthNewBackup(backups: readonly Backup[], diskId: string, highest: string, rank: number): Backup | undefined {
  return backups
    .filter((backup) => backup.diskId === diskId && Number(backup.nativeId) > Number(highest))
    .sort((a, b) => Number(a.nativeId) - Number(b.nativeId))[rank - 1];
}
