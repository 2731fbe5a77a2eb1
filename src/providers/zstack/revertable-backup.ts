import type { Backup } from '../../domain/types.js';

/**
 * Why ZStack should not revert a VM from this backup now, read from its group's status, or null.
 *
 * ZStack's API docs give RevertVmFromVmBackup no word on the backup's status: "status String
 * Status of the disk backup" names no values, and no error is listed for a revert of a backup still
 * Creating or one that Failed. The simulator plays both readings (`unreadyRevert`): a node that
 * fails the job, and one that reverts the VM from what there is. Either way the gateway sends
 * nothing: a backup still being made has not been written whole, and one that failed never will
 * be, so the second reading would overwrite the VM's disks with a partial image and report
 * SUCCEEDED, and the first spends a job to say what the list already shows. A status the gateway
 * does not know (UNKNOWN) is sent, and ZStack answers.
 */
export function unrevertableBackup(backup: Pick<Backup, 'status'>): string | null {
  if (backup.status === 'PENDING' || backup.status === 'CREATING') {
    return 'the backup is still being made (ZStack lists it Creating), so nothing was sent to ZStack: a VM reverted from it would get disks not yet written whole; wait until the backup reads AVAILABLE, then send the restore again';
  }
  if (backup.status === 'FAILED') {
    return 'the backup failed (ZStack lists it, or one of its volumes, Failed), so it holds no whole copy of the VM and nothing was sent to ZStack; restore from another backup';
  }
  return null;
}
