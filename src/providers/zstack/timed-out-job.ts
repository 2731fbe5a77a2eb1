import { chainHasCode } from './error-chain.js';

/**
 * ZStack's timeout: SysErrors.TIMEOUT, `TIMEOUT(1001)` written "SYS.%s", "A message or a operation
 * timeout" (the API docs' own error example, under DeleteVmBackup and SyncVmBackup: "Create VM on
 * KVM timeout after 300s"). Not ID.1001, a refused session (client.ts).
 */
export const OPERATION_TIMEOUT = 'SYS.1001';

/**
 * Whether a failed job's error, or one under it (ZStack wraps: error-chain.ts), is a timeout.
 *
 * The documents disagree with themselves here, so both readings are coded. The job's `error`: "If
 * not null, the operation failed" (every failed job is FAILED). The error's own words: "A message
 * or a operation timeout": the management node stopped waiting for a reply (its agent's, on the
 * KVM host or the image store), which says nothing of whether the work was done; the agent may
 * finish after the node gave up. So a timed-out job is judged as an expired one is, by what ZStack
 * lists: a create by the backup it made (found by its group or the `resourceUuid` it sent, never by
 * its name alone: a failed create's flow rolls its backup back, and an older one of the name is
 * another backup) and that backup's status, none listed FAILED with ZStack's words as before; a
 * delete by whether its group is gone (RUNNING while Deleting; still listed, FAILED as before); a
 * revert, whose end nothing ZStack lists shows, FAILED saying it may still finish (TIMED_OUT_REVERT);
 * a sync, which is safe to send again, FAILED as before.
 */
export const isTimeout = (body: unknown): boolean => chainHasCode(body, OPERATION_TIMEOUT);

/** Added to ZStack's words on a revert whose job timed out. */
export const TIMED_OUT_REVERT = 'ZStack stopped waiting on the revert (SYS.1001, a timeout), which may still finish on its own: look at the VM before reverting it again';
