import type { Backup } from '../domain/types.js';
import { backupListKey } from './ids.js';
import { loaderKey } from './loaders.js';

/**
 * The backups a request shows DELETING: those its own deleteBackup left being
 * deleted, and those the shared record of deletes in flight names
 * (deletes-in-flight.ts: deletes another request, or another replica,
 * started). The provider lists such a backup as it was (ZStack AVAILABLE,
 * Danube PENDING) until the delete ends; a list read later in the same answer
 * (the payload's `backup { instance { backups } }`, a `backups` connection
 * beside the mutation, the instance's `protection` judged from it) showed it
 * so, and a normalised client cache kept whichever status it wrote last under
 * the one id. Each is shown DELETING wherever this request reads it.
 */
export class DeletingHere {
  private readonly byInstance = new Map<string, Set<string>>();

  get none(): boolean {
    return this.byInstance.size === 0;
  }

  mark(backup: Backup): void {
    this.markListed(backup.providerId, backup.instanceNativeId ?? '', backupListKey(backup));
  }

  /** A backup named as its instance's list names it (`backupListKey`), as the shared record keeps it. */
  markListed(providerId: string, instanceNativeId: string, listKey: string): void {
    const key = loaderKey(providerId, instanceNativeId);
    const backups = this.byInstance.get(key) ?? new Set<string>();
    backups.add(listKey);
    this.byInstance.set(key, backups);
  }

  /**
   * Shows a backup as its provider lists it again, for the rest of this request: a look at its
   * delete's operation found it FAILED (the record ended with that look). Left marked, a list read
   * later in the answer showed DELETING the backup the restore's payload showed AVAILABLE.
   */
  unmarkListed(providerId: string, instanceNativeId: string, listKey: string): void {
    const key = loaderKey(providerId, instanceNativeId);
    const backups = this.byInstance.get(key);
    if (!backups?.delete(listKey) || backups.size > 0) return;
    this.byInstance.delete(key);
  }

  /** The backup as this request shows it. */
  one(backup: Backup): Backup {
    const marked = this.byInstance.get(loaderKey(backup.providerId, backup.instanceNativeId ?? ''));
    return marked?.has(backupListKey(backup)) && backup.status !== 'DELETING' ? { ...backup, status: 'DELETING' } : backup;
  }

  /** A list as this request shows it: the list itself unless it holds a backup deleted here. */
  list(backups: Backup[]): Backup[] {
    if (this.none || !backups.some((backup) => this.one(backup) !== backup)) return backups;
    return backups.map((backup) => this.one(backup));
  }
}
