import type { Backup, Operation } from '../domain/types.js';

/**
 * `deleteBackup`'s payload from its first answer: the backup DELETING while the delete runs, none
 * once it SUCCEEDED, and, FAILED, the backup as its provider lists it (the schema: DELETING "until
 * the delete ends"; a failed delete left it there as it was). No adapter answers a delete FAILED
 * at once today (refusals are errors, and Zomro's and OnApp's give-up waits an hour at least), so
 * only this function's test plays it.
 */
export function deletePayload(operation: Operation, backup: Backup): { operation: Operation; backup: Backup | null } {
  if (operation.status === 'SUCCEEDED') return { operation, backup: null };
  if (operation.status === 'FAILED') return { operation, backup };
  return { operation, backup: { ...backup, status: 'DELETING' } };
}
