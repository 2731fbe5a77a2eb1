import { GatewayError } from '../../domain/errors.js';
import type { Capability } from '../../domain/types.js';
import { isBareNotFound } from './own-not-found.js';

/**
 * The backup calls, by operation name, and the capability each stands for. esdc-ce guards every
 * backup view (`/vm/define/backup`, `/vm/{h}/define/backup/{name}`, `/vm/{h}/backup[/{name}]`) with
 * `@setting_required('VMS_VM_BACKUP_ENABLED')` (api/vm/backup/views.py), which raises Django's
 * Http404 where the datacenter's setting is off: DRF answers it 404 `{"detail": "Not found."}`,
 * after authentication and before the VM is looked up. A VM or backup that does not exist is
 * answered in esdc-ce's own words ("VM not found", "Backup not found"), never the bare ones.
 */
const BACKUP_CALLS: Readonly<Record<string, Capability>> = {
  'vm.backup.list': 'LIST_BACKUPS',
  'vm.backup.create': 'CREATE_BACKUP',
  'vm.backup.delete': 'DELETE_BACKUP',
  'vm.backup.restore': 'RESTORE_BACKUP',
  'vm.backup.note': 'UPDATE_BACKUP_NOTE',
  'vm.define.backup.list_all': 'LIST_DEFINITIONS',
  'vm.define.backup.create': 'CREATE_DEFINITION',
  'vm.define.backup.update': 'UPDATE_DEFINITION',
  'vm.define.backup.delete': 'DELETE_DEFINITION',
};

/**
 * A backup call answered 404 with DRF's bare "Not found.": backups are switched off for the
 * account's datacenter. UNSUPPORTED with the call's capability, as an account without one is
 * answered, and words saying where to turn them on. Read as NOT_FOUND "Not found.", a VM's
 * `backups` said the id named nothing, `backups(filter: {instanceId})` answered as for a VM that
 * does not exist, and a write dropped the VM's cached reads as after a backup gone. Null for any
 * other answer (left to the status table).
 */
export function backupsSwitchedOff(provider: string, operation: string, status: number, body: unknown): GatewayError | null {
  const capability = Object.hasOwn(BACKUP_CALLS, operation) ? BACKUP_CALLS[operation] : undefined;
  if (capability === undefined || status !== 404 || !isBareNotFound(body)) return null;
  return new GatewayError(
    'UNSUPPORTED',
    `provider ${provider} does not support ${capability} now: Danube answered its backup call 404 "Not found.", as it does while backups are switched off for the account's datacenter (its VMS_VM_BACKUP_ENABLED setting); the instance is still there, and its backups read again once they are switched on`,
    { provider, capability },
  );
}
