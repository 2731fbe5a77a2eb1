import { GatewayError } from '../../domain/errors.js';

/** Danube's words for a delete or restore of a backup whose own status does not allow it (esdc-ce's VmBackup, 417 Expectation Failed). */
const NOT_OK = 'VM backup status is not OK';

/**
 * What a client can do about Danube's 417 "VM backup status is not OK", after Danube's words. The
 * status is the backup's own ("1 ok, 2 pending, 3 restore, 4 lost", providers.md), not the VM's:
 * esdc-ce deletes a backup only while it is ok or lost, and restores only from one that is ok, so
 * the backup is still being made or deleted (PENDING, or DELETING here), being restored from
 * (RESTORING), or, for a restore, lost (FAILED). Those end by waiting, except lost: the words alone
 * said neither, nor that nothing was done.
 */
const NEXT_STEP: Readonly<Record<'delete' | 'restore', string>> = {
  delete:
    'Danube deletes a backup only once it is made (or lost), and this one is still being made, deleted or restored from (PENDING, DELETING or RESTORING here): nothing was done; wait for that work to end (the backup reads AVAILABLE again, or is gone), then send the delete again',
  restore:
    'Danube restores only from a backup that is made and idle, and this one is still being made, deleted or restored from (PENDING, DELETING or RESTORING here), or is lost (FAILED here): nothing was done; wait for that work to end and send the restore again once the backup reads AVAILABLE, or restore from another backup (a lost one never will be)',
};

/** A delete's or restore's CONFLICT "VM backup status is not OK" with what to do next; any other error as it was. */
export function withBackupStatusNextStep(error: unknown, write: 'delete' | 'restore'): unknown {
  if (!(error instanceof GatewayError) || error.code !== 'CONFLICT' || !error.message.startsWith(NOT_OK)) return error;
  return new GatewayError('CONFLICT', `${error.message}: ${NEXT_STEP[write]}`, error.details);
}
