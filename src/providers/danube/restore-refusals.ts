import { GatewayError } from '../../domain/errors.js';

/**
 * What a client can do about Danube's refusals of a restore, after Danube's own words. A
 * newcomer met "VM is not stopped" alone and looked for a mutation that stops a VM: there is
 * none, the gateway only backs up and restores. Matched on the words' start, as Danube writes
 * them in English (the client asks for English: client.ts).
 */
const NEXT_STEPS: ReadonlyArray<readonly [string, string]> = [
  ['VM is not stopped', 'stop the VM at Danube (the gateway neither starts nor stops VMs), then send the restore again; force does not change this'],
  ['VM has pending tasks', 'Danube is still running another task on the target VM (a backup, a delete or a restore of it): wait for that operation to finish, then send the restore again'],
  ['VM has snapshots', 'send force: true to restore over them (Danube then deletes the disk\'s snapshots), or remove them at Danube first'],
  // The 428s (precondition-refusals.ts): nothing was done, and force changes none of them.
  ['VM brand mismatch', 'the target VM is of another kind (KVM, bhyve or a zone) than the VM the backup was made of, and Danube restores only onto the same kind: nothing was done; name a target VM of that kind in targetInstanceId'],
  ['Disk size mismatch', 'the target disk is not the size of the disk the backup was made of, and Danube restores only onto a disk of that size: nothing was done; name a disk of that size in targetDiskId (or targetInstanceId), or resize the disk at Danube first'],
  ['Not enough free space on target storage', "the target VM's storage at Danube has less free space than the backup's whole disk (Danube restores into a temporary copy first): nothing was done; free space there at Danube, then send the restore again"],
];

/** A restore's CONFLICT or BAD_USER_INPUT with what to do next added to Danube's words; any other error as it was. */
export function withRestoreNextStep(error: unknown): unknown {
  if (!(error instanceof GatewayError) || (error.code !== 'CONFLICT' && error.code !== 'BAD_USER_INPUT')) return error;
  const step = NEXT_STEPS.find(([words]) => error.message.startsWith(words))?.[1];
  return step ? new GatewayError(error.code, `${error.message}: ${step}`, error.details) : error;
}
