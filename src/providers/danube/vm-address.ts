import { badInput } from '../../domain/errors.js';
import type { Backup } from '../../domain/types.js';
import { backupRowVmUuid } from './backup-row-vm-uuid.js';

/**
 * How a backup's own calls (delete, restore, note) name its VM in the path: by the `vm_uuid` its
 * row carries (backupRowVmUuid), else by the VM's hostname. Every backup endpoint takes
 * "hostname_or_uuid" (esdc-ce's `get_vm` reads either), and only the uuid survives a rename: a
 * backup read from a cache filled before the VM was renamed names the VM by a hostname Danube may
 * no longer know, or, when another VM has since taken that hostname, by the other VM's. A row
 * without a uuid is addressed as before, by hostname.
 */
export function backupVmAddress(backup: Pick<Backup, 'instanceNativeId' | 'raw'>): string {
  const uuid = backupRowVmUuid(backup.raw);
  if (uuid !== null) return uuid;
  if (!backup.instanceNativeId) throw badInput('backup id lacks its VM');
  return backup.instanceNativeId;
}
