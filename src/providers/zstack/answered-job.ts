import { notFound } from '../../domain/errors.js';
import type { Operation, OperationKind, OperationRef } from '../../domain/types.js';

/** What a job of each kind is called in a NOT_FOUND. */
const JOB_OF: Readonly<Record<OperationKind, string>> = { CREATE_BACKUP: 'create job', DELETE_BACKUP: 'delete job', RESTORE_BACKUP: 'restore job', SYNC_BACKUPS: 'sync job' };

/**
 * What a job's answer says it was, where it says: a create's result holds `inventories`
 * (CreateVmBackup's documented answer, the backups it made), a revert's is `{"success": true}`
 * (docs/providers.md). A delete's and a sync's is `{}`, as a running job's is and as a node from
 * before November 2018 wrote nothing: it tells no kind. A failed job's is ZStack's error, whatever
 * else a node writes beside it (an event's `"success": false`): no kind either.
 */
function answeredKind(body: unknown): OperationKind | null {
  if (body === null || typeof body !== 'object') return null;
  if ((body as { error?: unknown }).error != null) return null;
  if ('inventories' in body) return 'CREATE_BACKUP';
  if ('success' in body) return 'RESTORE_BACKUP';
  return null;
}

/**
 * What ZStack's answer for a job tells of the operation read by it. Every kind is read from the job
 * its id names: a create's, delete's or restore's id names its VM and (but for a create) its group
 * beside it, a sync's nothing else (not even its image store), and a client may write one around
 * any job it knows of (another VM's create, a revert, another group's delete, any of them as a
 * sync: each operation id carries its job uuid). A job whose answer is another kind's result is no
 * such operation at all: NOT_FOUND before its status is read (and before any list is, for a
 * delete). DeleteVmBackup's and SyncVmBackup's result is `{}`; so is a running job's.
 */
export function checkJobAnswer(ref: OperationRef, body: unknown, provider: string): void {
  const kind = answeredKind(body);
  if (kind !== null && kind !== ref.kind) throw notFound(JOB_OF[ref.kind], provider);
}

/**
 * An operation read from a job ZStack answered, whatever its kind: told only where the started
 * record vouches for it (Operation.jobUnconfirmed, request-reads.ts; each mutation records its id,
 * started-operations.ts). No answer names the target: a running job's is `{}`, a delete's and a
 * sync's `{}`, a revert's `{"success": true}` naming neither VM nor group, a failed one's ZStack's
 * error; a create's `inventories` name the backups it made, which any other create on the VM makes
 * too, and the same job read under another VM's id read that create's outcome as this one's.
 */
export const readFromJob = (operation: Operation): Operation => ({ ...operation, jobUnconfirmed: true });
