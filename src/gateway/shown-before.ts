import type { Operation } from '../domain/types.js';

/**
 * A running create or delete as an answer beside its backup shows it (operation-as-shown.ts):
 * SUCCEEDED. A delete's rests on its backup's absence (Operation.succeededByAbsence), a create's
 * on its backup listed AVAILABLE.
 */
export function succeededAsShown(operation: Operation): Operation {
  const succeeded: Operation = { ...operation, status: 'SUCCEEDED', finishedAt: new Date(), error: null };
  return operation.kind === 'DELETE_BACKUP' ? { ...succeeded, succeededByAbsence: true } : succeeded;
}

/**
 * An operation read again after an answer showed it SUCCEEDED beside its backup (its start record
 * marked so, StartedOperations.markShownSucceeded): its job or task may still read running for a
 * while (ZStack drops a deleted group's rows, Danube lists a made backup, before the job or task
 * says it ended), and the next poll, one without `backup` or on another replica, read RUNNING
 * after SUCCEEDED. Running reads SUCCEEDED; a provider's own end (SUCCEEDED, FAILED) stands.
 */
export function asShownBefore(operation: Operation): Operation {
  return operation.status === 'RUNNING' || operation.status === 'PENDING' ? succeededAsShown(operation) : operation;
}
