import type { Backup } from '../../domain/types.js';

const UUID = /^[0-9a-f]{32}$/;

/**
 * The image stores holding every volume of a VM backup: each volume backup
 * names where it is kept in `backupStorageRefs[].backupStorageUuid` (ZStack's
 * CreateVmBackup inventories). In the root volume's order; only ZStack uuids
 * (a provider's string is hostile, and this one goes into a request).
 */
export function storesHoldingGroup(backup: Backup): string[] {
  const volumes = Array.isArray(backup.raw.volumes) ? (backup.raw.volumes as unknown[]) : [];
  const storesOf = (volume: unknown): string[] => {
    const refs = (volume as { backupStorageRefs?: unknown } | null)?.backupStorageRefs;
    if (!Array.isArray(refs)) return [];
    return refs.map((ref: unknown) => (ref as { backupStorageUuid?: unknown } | null)?.backupStorageUuid).filter((uuid): uuid is string => typeof uuid === 'string' && UUID.test(uuid));
  };
  const [first, ...others] = volumes.map(storesOf);
  if (!first) return [];
  return [...new Set(first)].filter((store) => others.every((stores) => stores.includes(store)));
}

/**
 * The image store a revert or a delete names: the configured one
 * (`backupStorageUuid`) when it holds the backup, or when the backup names
 * none; else the first store that holds the whole backup. A backup ZStack made
 * elsewhere (its own schedule, another image store) is listed like any other,
 * and naming the configured store made its restore and its delete fail.
 */
export function storeOfBackup(backup: Backup, configured: string): string {
  const held = storesHoldingGroup(backup);
  return held.length === 0 || held.includes(configured) ? configured : (held[0] as string);
}
