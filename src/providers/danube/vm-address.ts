import { badInput } from '../../domain/errors.js';
import type { Backup } from '../../domain/types.js';

/** esdc-ce's VM uuid (Vm.uuid, the VM's primary key): it never changes, as a hostname can. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * How a backup's own calls (delete, restore, note) name its VM in the path: by the `vm_uuid` its
 * row carries (esdc-ce's BackupSerializer: `vm_uuid = CharField(source='vm.uuid')`), else by the
 * VM's hostname. Every backup endpoint takes "hostname_or_uuid" (esdc-ce's `get_vm` reads either),
 * and only the uuid survives a rename: a backup read from a cache filled before the VM was
 * renamed names the VM by a hostname Danube may no longer know, or, when another VM has since
 * taken that hostname, by the other VM's. A row without `vm_uuid` (the API docs' example has
 * none; esdc-ce sends null once the VM is deleted) is addressed as before, by hostname.
 */
/** Whether `value` is written as esdc-ce writes a VM uuid. */
export const isVmUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

export function backupVmAddress(backup: Pick<Backup, 'instanceNativeId' | 'raw'>): string {
  const uuid = backup.raw.vm_uuid;
  if (isVmUuid(uuid)) return uuid;
  if (!backup.instanceNativeId) throw badInput('backup id lacks its VM');
  return backup.instanceNativeId;
}
