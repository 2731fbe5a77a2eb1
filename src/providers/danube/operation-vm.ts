import { badInput } from '../../domain/errors.js';
import type { OperationRef } from '../../domain/types.js';
import { hostnameSegment } from './client.js';

export const OPERATION_VM_REFUSED = 'operation id names no valid Danube VM: send an operation id as the gateway answered it';

/**
 * An operation id's VM, held to the rule of every hostname the gateway puts in a URL, before
 * anything is asked. Operation ids are the client's to re-encode: one naming `../../x` or a
 * CR LF was polled by its task first (the hostname checked only if the task was forgotten),
 * and one without a task, an operation Danube finished at once, answered SUCCEEDED for a VM
 * no panel could list, as though the gateway had acted on it. Every Danube operation the gateway
 * answers names its VM (the adapter's fromAnswer), so one naming none is refused too: it read
 * SUCCEEDED from the id alone, or had its task polled and cancelled.
 */
export function checkOperationVm(ref: Pick<OperationRef, 'instanceNativeId'>): void {
  if (ref.instanceNativeId === null) throw badInput(OPERATION_VM_REFUSED);
  try {
    hostnameSegment(ref.instanceNativeId);
  } catch {
    throw badInput(OPERATION_VM_REFUSED);
  }
}
