/** esdc-ce's VM uuid (Vm.uuid, the VM's primary key): it never changes, as a hostname can. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is written as esdc-ce writes a VM uuid. */
export const isVmUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/**
 * The VM uuid a backup row names, the one rule every reader of `vm_uuid` takes (a backup's own
 * calls addressed its VM by it, and a forgotten delete's look-up kept a row as the VM's by it:
 * they disagreed on `vm_uuid: ""`, which the first read as no uuid and the second as another
 * VM's, so a delete that failed read SUCCEEDED).
 *
 * esdc-ce's BackupSerializer sends `vm_uuid = CharField(source='vm.uuid')`, null once the VM is
 * deleted; the API docs' example row has none. Only a value written as a uuid names a VM: absent,
 * null, "" or any other text names none, and the row is then the VM's its list was asked for, as
 * a row without `vm` is (backup-row-vm.ts). A provider string is never put in a path unless it is
 * a uuid.
 */
export function backupRowVmUuid(row: Record<string, unknown>): string | null {
  return isVmUuid(row.vm_uuid) ? row.vm_uuid : null;
}

/** Whether a row of `GET /vm/{uuid}/backup` is that VM's: it names that uuid, or none (uuids compared as esdc-ce's, case aside). */
export function isRowOfVmUuid(row: Record<string, unknown>, vmUuid: string): boolean {
  const named = backupRowVmUuid(row);
  return named === null || named.toLowerCase() === vmUuid.toLowerCase();
}
