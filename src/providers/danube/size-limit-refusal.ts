import { GatewayError } from '../../domain/errors.js';

/** Danube's words for a create past the virtual datacenter's backup size limit (API docs: "417 Expectation Failed – DC backup size limit reached"). */
const SIZE_LIMIT = 'DC backup size limit reached';

/**
 * A create's CONFLICT 417 "DC backup size limit reached" with what to do next; any other error as it
 * was. esdc-ce refuses a create once the total size of the datacenter's backups reaches the limit its
 * administrator set (`VMS_VM_BACKUP_DC_SIZE_LIMIT`), before it looks at the VM: no wait ends it, only
 * fewer backups or a higher limit. Danube's words alone did not say that nothing was done, nor that.
 */
export function withSizeLimitNextStep(error: unknown): unknown {
  if (!(error instanceof GatewayError) || error.code !== 'CONFLICT' || !error.message.startsWith(SIZE_LIMIT)) return error;
  const step = "the Danube datacenter's backups together have reached the size limit set for it at Danube: nothing was done; delete backups of that datacenter (deleteBackup) or have its administrator raise the limit, then send the create again";
  return new GatewayError('CONFLICT', `${error.message}: ${step}`, error.details);
}
