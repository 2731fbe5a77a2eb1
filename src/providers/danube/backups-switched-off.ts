import { GatewayError, providerError } from '../../domain/errors.js';
import type { Capability } from '../../domain/types.js';
import type { MisdirectedAccount } from '../http-errors.js';
import { isBareNotFound } from './own-not-found.js';

/**
 * The backup calls, by operation name, and the capability each stands for. esdc-ce guards every
 * backup view (`/vm/define/backup`, `/vm/{h}/define/backup/{name}`, `/vm/{h}/backup[/{name}]`) with
 * `@setting_required('VMS_VM_BACKUP_ENABLED')` (api/vm/backup/views.py), which raises Django's
 * Http404 where the datacenter's setting is off: esdc-ce's own exception handler (api/views.py)
 * answers it 404 `{"detail": "Not found"}` (DRF's generic handler says "Not found."), after
 * authentication and before the VM is looked up. A VM or backup that does not exist is answered in
 * esdc-ce's own words ("VM not found", "Backup not found"), never the bare ones.
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
 * The header esdc-ce sets on every answer its API views make, the exception handler's 404 among
 * them (api/response.py `set_response_headers`: `es_version`, with `es_username` and `es_dc`;
 * providers.md, "Every response carries headers es_version, es_username, es_dc"). A path no
 * Danube view answers (its `page_not_found`: text "Resource not found", no such header), another
 * Django REST API behind a wrong url, a proxy's own route: none carries it.
 */
export const DANUBE_VERSION_HEADER = 'es_version';

/** The parts of a Danube answer read here: its status, parsed body and headers (UpstreamResponse). */
export interface DanubeNotFoundAnswer {
  status: number;
  body: unknown;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * A backup call answered 404 with the bare "Not found" (with or without DRF's full stop):
 *
 * - with Danube's `es_version` header, backups are switched off for the account's datacenter:
 *   UNSUPPORTED with the call's capability, as an account without one is answered, and words saying
 *   where to turn them on. Read as NOT_FOUND "Not found.", a VM's `backups` said the id named
 *   nothing, `backups(filter: {instanceId})` answered as for a VM that does not exist, and a write
 *   dropped the VM's cached reads as after a backup gone.
 * - without it, the 404 is not Danube's: another server answered the path (a reverse proxy routing
 *   the backup paths elsewhere, a base url at another Django REST API). PROVIDER_ERROR `HTTP_404`
 *   saying to check the url and the proxy, health DEGRADED (`other`) as for any url that answers as
 *   no Danube does. Read as switched off, the client was told the VM's datacenter had backups off
 *   while Danube was never asked.
 *
 * Where the two cannot be told apart: a proxy that strips Danube's `es_*` headers makes a switched-off
 * datacenter read as the proxy's 404 (the safer reading: it never claims backups are off), and another
 * esdc-ce answering at a wrong url is Danube answering for its own datacenter. Null for any other
 * answer (left to the status table).
 */
export function backupsSwitchedOff(account: MisdirectedAccount, operation: string, answer: DanubeNotFoundAnswer): GatewayError | null {
  const capability = Object.hasOwn(BACKUP_CALLS, operation) ? BACKUP_CALLS[operation] : undefined;
  if (capability === undefined || answer.status !== 404 || !isBareNotFound(answer.body)) return null;
  const provider = account.providerId;
  if (answer.headers[DANUBE_VERSION_HEADER] === undefined) {
    account.answeredByAnotherServer();
    return providerError(
      provider,
      `provider ${provider} answered its backup call 404 "Not found" without Danube's es_version header: not Danube's answer but another server's (a proxy routing the backup paths elsewhere, or a url that points at another API): check the account's url in the config and the proxy in front of Danube`,
      'HTTP_404',
    );
  }
  return new GatewayError(
    'UNSUPPORTED',
    `provider ${provider} does not support ${capability} now: Danube answered its backup call 404 "Not found", as it does while backups are switched off for the account's datacenter (its VMS_VM_BACKUP_ENABLED setting); the instance is still there, and its backups read again once they are switched on`,
    { provider, capability },
  );
}
