import type { Operation } from '../../domain/types.js';

/**
 * An operation read from a task Danube still answers, whatever its kind: told only where the
 * gateway recorded starting it (Operation.jobUnconfirmed, request-reads.ts; each mutation records
 * its id, started-operations.ts). An id names its task, its VM and (a delete's, a restore's) its
 * backup, and a client may write one around any task it knows of (another VM's create, a restore,
 * another backup's delete: each operation id carries its task id), or of a kind Danube never
 * starts (a sync, which no mutation records). Danube's answer (`task_id`, `status`, `result`) tells
 * neither kind nor target: a running task's result is null, a failed one's Danube's words, a
 * finished one's a message in words (esdc-ce's "Backup successfully deleted", "... restored", no
 * key the API documents) and, for a create, a `detail` naming a backup by a name any other run of
 * the definition may share, or (a current esdc-ce) figures naming none; docs/providers.md: "a task
 * id alone does not say what kind of operation it is".
 */
export const readFromTask = (operation: Operation): Operation => ({ ...operation, jobUnconfirmed: true });
