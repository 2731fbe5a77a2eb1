import type { Backup } from '../domain/types.js';
import { newestFirstInTurns } from './backup-order.js';
import { backupListKey } from './ids.js';

/** One instance's backups as its loader answered them. */
export interface InstanceBackups {
  instanceNativeId: string;
  backups: readonly Backup[];
}

/**
 * One account's backups from its instances' lists, each backup once: its
 * first copy. A provider that ignores its per-VM filter answers every VM's
 * backups for each VM; where its rows name their own VM (Zomro's
 * `instances_id`, Danube's `hostname`) each copy has the same id, and the
 * account's list showed the backup once per VM, counted in its totalCount.
 *
 * Each list has no repeats of its own (loaders.ts), so a backup shows twice
 * only in two lists, and then at least one copy names an instance other
 * than its list's (the id names the instance). Only backups of instances
 * that such a copy names are compared by id: in the usual account, where
 * none does, no key is made (a set of 300,000 backup keys took 150 ms).
 */
export function eachBackupOnce(lists: readonly InstanceBackups[]): Backup[] {
  const all: Backup[] = [];
  let named: Set<string> | null = null;
  for (const { instanceNativeId, backups } of lists) {
    for (const backup of backups) {
      all.push(backup);
      const owner = backup.instanceNativeId ?? '';
      if (owner !== instanceNativeId) (named ??= new Set()).add(owner);
    }
  }
  if (named === null) return all;
  const seen = new Set<string>();
  return all.filter((backup) => {
    if (!named.has(backup.instanceNativeId ?? '')) return true;
    const key = backupListKey(backup);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * An account's backups for the `backups` connection: each once, newest first
 * across all of its instances. Its lists, each in order, are out of order put
 * together, so an account of 300,000 backups over two VMs is sorted whole:
 * in turns (`newestFirstInTurns`), as each instance's list is.
 */
export function accountBackupsNewestFirst(lists: readonly InstanceBackups[]): Promise<Backup[]> {
  return newestFirstInTurns(eachBackupOnce(lists));
}
