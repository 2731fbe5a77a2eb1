import { badInput } from '../../domain/errors.js';
import type { OperationRef } from '../../domain/types.js';
import { isVmUuid } from './backup-row-vm-uuid.js';
import { lookupOf } from './new-backup-of-definition.js';
import { checkOperationVm } from './operation-vm.js';
import { taskSegment } from './task-id.js';

/**
 * Every part of a Danube operation id a read puts into a URL or a look-up, held to its shape before
 * anything is asked, the started record included: the record is asked first now, and an id no read
 * could take is the client's mistake (BAD_USER_INPUT) whoever started it, not NOT_FOUND. The VM,
 * the task, a create's definition look-up (its mark and VM uuid), and the VM uuid of a delete with a
 * task (read once the task is forgotten; one done at once is answered from the id alone).
 */
export function checkOperationParts(ref: OperationRef): void {
  checkOperationVm(ref);
  if (ref.token[0]) taskSegment(ref.token[0]);
  if (ref.kind === 'CREATE_BACKUP') lookupOf(ref.token);
  const deletedFrom = ref.token[2];
  if (ref.kind === 'DELETE_BACKUP' && ref.token[0] && deletedFrom !== undefined && !isVmUuid(deletedFrom)) throw badInput('operation id names no valid VM uuid');
}
