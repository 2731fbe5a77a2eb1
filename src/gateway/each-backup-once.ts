import { ROWS_PER_TURN, nextTurn } from '../domain/turns.js';
import type { Backup } from '../domain/types.js';
import { newestFirstInTurns } from './backup-order.js';
import { backupListKey } from './ids.js';

/** One instance's backups as its loader answered them. */
export interface InstanceBackups {
  instanceNativeId: string;
  backups: readonly Backup[];
}

/**
 * One account's backups put together from its instances' lists, told which
 * copies to keep. Each list has no repeats of its own (loaders.ts), so a
 * backup shows twice only in two lists, and then at least one copy names an
 * instance other than its list's (the id names the instance). Only backups of
 * instances that such a copy names are compared by id: in the usual account,
 * where none does, no key is made (a set of 300,000 backup keys took 150 ms).
 */
class FirstCopies {
  readonly all: Backup[] = [];
  /** Instances some copy names from another instance's list; null while none does. */
  named: Set<string> | null = null;
  private readonly seen = new Set<string>();

  add(listInstance: string, backup: Backup): void {
    this.all.push(backup);
    const owner = backup.instanceNativeId ?? '';
    if (owner !== listInstance) (this.named ??= new Set()).add(owner);
  }

  /** Whether `backup` is the first copy of its backup (asked in the order they were added). */
  isFirst(named: ReadonlySet<string>, backup: Backup): boolean {
    if (!named.has(backup.instanceNativeId ?? '')) return true;
    const key = backupListKey(backup);
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}

const rowsIn = (lists: readonly InstanceBackups[]): number => lists.reduce((rows, list) => rows + list.backups.length, 0);

/**
 * One account's backups from its instances' lists, each backup once: its
 * first copy. A provider that ignores its per-VM filter answers every VM's
 * backups for each VM; where its rows name their own VM (Zomro's
 * `instances_id`, Danube's `hostname`) each copy has the same id, and the
 * account's list showed the backup once per VM, counted in its totalCount.
 */
export function eachBackupOnce(lists: readonly InstanceBackups[]): Backup[] {
  const copies = new FirstCopies();
  for (const { instanceNativeId, backups } of lists) for (const backup of backups) copies.add(instanceNativeId, backup);
  const { all, named } = copies;
  return named === null ? all : all.filter((backup) => copies.isFirst(named, backup));
}

/**
 * `eachBackupOnce` giving the event loop a turn after every ROWS_PER_TURN
 * rows, counted across the lists: such a provider's N VMs answer N times the
 * account's M backups, and the keys of N x M rows (300,000 over 60 VMs) made
 * in one go held every other request on the replica.
 */
async function eachBackupOnceInTurns(lists: readonly InstanceBackups[]): Promise<Backup[]> {
  const copies = new FirstCopies();
  let rows = 0;
  for (const { instanceNativeId, backups } of lists) {
    for (const backup of backups) {
      if (rows > 0 && rows % ROWS_PER_TURN === 0) await nextTurn();
      rows += 1;
      copies.add(instanceNativeId, backup);
    }
  }
  const { all, named } = copies;
  if (named === null) return all;
  const kept: Backup[] = [];
  for (let index = 0; index < all.length; index++) {
    if (index > 0 && index % ROWS_PER_TURN === 0) await nextTurn();
    const backup = all[index] as Backup;
    if (copies.isFirst(named, backup)) kept.push(backup);
  }
  return kept;
}

/**
 * An account's backups for the `backups` connection: each once, newest first
 * across all of its instances. Its lists, each in order, are out of order put
 * together, so an account of 300,000 backups over two VMs is sorted whole:
 * in turns (`newestFirstInTurns`), as each instance's list is. An account of
 * a dashboard's size is put together without a turn.
 */
export function accountBackupsNewestFirst(lists: readonly InstanceBackups[]): Promise<Backup[]> {
  if (rowsIn(lists) <= ROWS_PER_TURN) return newestFirstInTurns(eachBackupOnce(lists));
  return eachBackupOnceInTurns(lists).then(newestFirstInTurns);
}
