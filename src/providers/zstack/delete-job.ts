import { notFound } from '../../domain/errors.js';
import type { Operation, OperationRef } from '../../domain/types.js';

/**
 * What ZStack's answer for a job tells of a delete read by it. A delete's id names its job, its VM
 * and its group, and a client may write one around any job it knows of (a create's, a revert's,
 * another group's delete: each operation id carries its job uuid). The job's answer never names
 * the group a delete was of: DeleteVmBackup's result is `{}` (docs/providers.md), a running job's
 * `{}` too, and a failed one ZStack's error. So a status read from it is this delete's only where
 * the gateway recorded starting it (Operation.jobUnconfirmed, request-reads.ts). What the answer
 * does tell: a result holding `inventories` is a create's (CreateVmBackup's documented answer),
 * which no delete gives; such a job is no delete at all, NOT_FOUND before its status is read.
 */
export function checkDeleteJobAnswer(ref: OperationRef, body: unknown, provider: string): void {
  if (ref.kind !== 'DELETE_BACKUP') return;
  const inventories = (body as { inventories?: unknown } | null)?.inventories;
  if (inventories !== undefined) throw notFound('delete job', provider);
}

/** A delete read from a job ZStack answered: told only where the started record vouches for it. */
export const readFromDeleteJob = (ref: OperationRef, operation: Operation): Operation => (ref.kind === 'DELETE_BACKUP' ? { ...operation, jobUnconfirmed: true } : operation);
