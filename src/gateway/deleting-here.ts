import type { Backup } from '../domain/types.js';
import { backupListKey } from './ids.js';
import { loaderKey } from './loaders.js';

/**
 * The backups a request's deleteBackup left being deleted. The payload shows
 * each as DELETING; a list read later in the same answer (the payload's
 * `backup { instance { backups } }`, a `backups` connection beside the
 * mutation, the instance's `protection` judged from it) had it as the provider lists it (ZStack AVAILABLE, Danube
 * PENDING) until the delete ends, and a normalised client cache kept
 * whichever status it wrote last under the one id. Each is shown DELETING
 * wherever this request reads it. Per request: what later requests read is
 * the provider's word (see docs/architecture.md).
 */
export class DeletingHere {
  private readonly byInstance = new Map<string, Set<string>>();

  get none(): boolean {
    return this.byInstance.size === 0;
  }

  mark(backup: Backup): void {
    const key = loaderKey(backup.providerId, backup.instanceNativeId ?? '');
    const backups = this.byInstance.get(key) ?? new Set<string>();
    backups.add(backupListKey(backup));
    this.byInstance.set(key, backups);
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
