import type { Backup } from '../../domain/types.js';

const UUID = /^[0-9a-f]{32}$/;

/** The volume backups of a group, as the mapper keeps them in `raw.volumes`. */
const volumesOf = (backup: Backup): unknown[] => (Array.isArray(backup.raw.volumes) ? (backup.raw.volumes as unknown[]) : []);

/**
 * The image stores one volume backup names in `backupStorageRefs[].backupStorageUuid`; only ZStack
 * uuids (a provider's string is hostile, and these go into requests). A ref's `status` ("Status of
 * the disk backup on the Image Storage") is not read: the API docs name none of its values, so
 * which of them means a usable copy would be a guess.
 */
function storesOfVolume(volume: unknown): string[] {
  const refs = (volume as { backupStorageRefs?: unknown } | null)?.backupStorageRefs;
  if (!Array.isArray(refs)) return [];
  return refs.map((ref: unknown) => (ref as { backupStorageUuid?: unknown } | null)?.backupStorageUuid).filter((uuid): uuid is string => typeof uuid === 'string' && UUID.test(uuid));
}

/**
 * The image stores holding every volume of a VM backup: each volume backup
 * names where it is kept in `backupStorageRefs[].backupStorageUuid` (ZStack's
 * CreateVmBackup inventories). In the first volume's order.
 */
export function storesHoldingGroup(backup: Backup): string[] {
  const [first, ...others] = volumesOf(backup).map(storesOfVolume);
  if (!first) return [];
  return [...new Set(first)].filter((store) => others.every((stores) => stores.includes(store)));
}

/**
 * The image store a revert names: the configured one (`backupStorageUuid`)
 * when it holds the backup, or when the backup names none; else the first
 * store that holds the whole backup. A backup ZStack made elsewhere (its own
 * schedule, another image store) is listed like any other, and naming the
 * configured store made its restore fail.
 */
export function storeOfBackup(backup: Backup, configured: string): string {
  const held = storesHoldingGroup(backup);
  return held.length === 0 || held.includes(configured) ? configured : (held[0] as string);
}

/**
 * Every image store a delete names: each store holding any volume of the
 * backup, in the order the volumes name them. DeleteVmBackup takes
 * "backupStorageUuids (Optional) List url Image Storage UUID list" (ZStack API
 * docs), so one call reaches them all; naming one store left the backup on the
 * others, still listed, while the delete read SUCCEEDED. A backup naming no
 * store is deleted from the configured one, as before: what an absent list
 * means is not documented, so it is never left out.
 */
export function storesToDeleteFrom(backup: Backup, configured: string): string[] {
  const stores = new Set(volumesOf(backup).flatMap(storesOfVolume));
  return stores.size === 0 ? [configured] : [...stores];
}
