import type { Backup } from '../../domain/types.js';
import { isVmUuid } from './vm-address.js';

/** Each VM's hostname now, by its uuid (lowercase), from `GET /vm?full=true` rows; rows without both are left out. */
export function hostnamesByUuid(vmRows: ReadonlyArray<Record<string, unknown>>): Map<string, string> {
  const byUuid = new Map<string, string>();
  for (const row of vmRows) {
    if (isVmUuid(row.uuid) && typeof row.hostname === 'string' && row.hostname !== '') byUuid.set(row.uuid.toLowerCase(), row.hostname);
  }
  return byUuid;
}

/**
 * A backup row is the VM its `vm_uuid` names, where the VM list knows that
 * uuid, whatever its `vm` says. esdc-ce's BackupSerializer sends both from one
 * foreign key (`vm` the VM's hostname now, `vm_uuid = CharField(source='vm.uuid')`;
 * providers.md lists both as confirmed, the API docs' example row has neither),
 * so in an answer Danube made they agree. Where they do not, the uuid is the one
 * to trust: it is the VM's primary key and never changes, and the backup's own
 * calls (delete, restore, note) go by it (vm-address.ts). A row shown under the
 * hostname's VM was deleted or restored on the uuid's. Such a row is then the
 * uuid's VM's: dropped from another VM's list as a foreign row (foreign-rows.ts).
 * A uuid the VM list does not know (a VM made since), or a row without one,
 * keeps the VM the mapper read.
 */
export function ownedByUuid(backup: Backup, hostnames: ReadonlyMap<string, string>): Backup {
  const uuid = backup.raw.vm_uuid;
  if (!isVmUuid(uuid)) return backup;
  const owner = hostnames.get(uuid.toLowerCase());
  return owner === undefined || owner === backup.instanceNativeId ? backup : { ...backup, instanceNativeId: owner };
}
