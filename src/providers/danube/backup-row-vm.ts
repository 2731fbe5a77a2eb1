import { idTextOrNull } from '../native-id.js';

/**
 * The VM a backup row of `GET /vm/{vmAskedFor}/backup` is of, the one rule the backup list and a
 * create's look-up of its new backup both read a row by (they disagreed on `vm: ""`: the list
 * kept the row as the VM's, the look-up dropped it as another VM's, so a create's backup that
 * the VM listed was never named).
 *
 * `vm` is the VM as it is now (esdc-ce's BackupSerializer `CharField(source='vm')`, Vm's text
 * being its current hostname), the id space the gateway's instances use. The API docs' example
 * row has no `vm`: a row naming none (absent, null or "") is the VM's it was listed for, as
 * esdc-ce lists a VM's backups by the VM itself (VmBackupList filters on `vm`), whatever its
 * `hostname` says (the hostname the backup was made under). A `vm` that is no id text makes
 * the answer invalid (idTextOrNull), in both readers alike.
 */
export function backupRowVm(row: Record<string, unknown>, vmAskedFor: string, providerId: string): string {
  return idTextOrNull(row.vm, providerId) ?? vmAskedFor;
}

/**
 * The VM a row read by the VM's uuid names by its hostname now (`vm`), where that is not the
 * hostname the create was sent to: the VM was renamed since, and lists the backup under the new
 * one, the id its Backup has. A row naming no VM says nothing of a rename.
 */
export function renamedVmOf(row: Record<string, unknown>, hostnameBefore: string, providerId: string): string | undefined {
  const vm = idTextOrNull(row.vm, providerId);
  return vm !== null && vm !== hostnameBefore ? vm : undefined;
}
