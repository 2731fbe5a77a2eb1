import { GatewayError } from '../../domain/errors.js';

/**
 * What a client can do about Danube's "423 Locked – Node is not operational / VM is not
 * operational" (API docs: a backup's create, delete or restore, a definition's create, update or
 * delete), after Danube's words. Both pass:
 * a node comes back, a VM ends its deploy or thaw. The words alone read as a refusal for good.
 * A restore's "VM is locked or has slave VMs" does not pass by waiting: someone at Danube must
 * lift the lock or remove the replicas, so its step says who acts.
 * No `retryAfterSeconds`: Danube says nothing of when, and the schema gives one only where
 * something says when.
 */
const NEXT_STEPS: ReadonlyArray<readonly [string, string]> = [
  ['Node is not operational', "a Danube node it needs (the VM's compute node, or the backup node) is down for now: nothing was done; send it again once Danube shows the node up"],
  // "423 Locked – ... VM is locked or has slave VMs" (API docs, a restore's target): no wait ends it.
  ['VM is locked or has slave VMs', "the target VM is locked at Danube (an administrator's lock, or slave VMs: its replicas), and Danube restores onto no such VM: nothing was done, and force does not change this; have the lock lifted or the slave VMs removed at Danube, then send the restore again, or name another target in targetInstanceId"],
  // esdc-ce's VmBackup._check_vm (a create, a delete): running, stopped or stopping, not their `-` forms.
  ['VM is not operational', 'the VM is neither running, stopped nor stopping at Danube for now (being deployed, frozen, not ready while a task works on its disk, or in an unknown state): nothing was done; send it again once it is'],
];

/** A write's CONFLICT 423 with what to do next added to Danube's words; any other error as it was. */
export function withLockedNextStep(error: unknown): unknown {
  if (!(error instanceof GatewayError) || error.code !== 'CONFLICT') return error;
  const step = NEXT_STEPS.find(([words]) => error.message.startsWith(words))?.[1];
  return step ? new GatewayError('CONFLICT', `${error.message}: ${step}`, error.details) : error;
}
