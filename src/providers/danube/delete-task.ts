import type { Operation, OperationRef } from '../../domain/types.js';

/**
 * A delete read from a task Danube still answers: told only where the gateway recorded starting it
 * (Operation.jobUnconfirmed, request-reads.ts). A delete's id names its task, its VM and its
 * backup, and a client may write one around any task it knows of (a create's, a restore's, another
 * backup's delete: each operation id carries its task id). Danube's answer (`task_id`, `status`,
 * `result`) tells neither: a running task's result is null, a failed one's Danube's words, a
 * finished one's a message in words (esdc-ce's "Backup successfully deleted", no key the API
 * documents) and, for a create, a `detail` a current esdc-ce fills with figures, naming no backup;
 * docs/providers.md: "a task id alone does not say what kind of operation it is".
 */
export const readFromDeleteTask = (ref: OperationRef, operation: Operation): Operation => (ref.kind === 'DELETE_BACKUP' ? { ...operation, jobUnconfirmed: true } : operation);
