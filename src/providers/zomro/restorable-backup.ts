import type { Backup } from '../../domain/types.js';
import { quotedWord } from './quoted-word.js';

/**
 * Why Zomro cannot rebuild an instance from this backup now, read from its `fleio_status`, or
 * null. Zomro's backup document: "fleio_status - Backup status. The value Active means the backup
 * is created", and a create shows Saving "in the process of being created" until "the backup
 * status will change from Saving to Active". The restore rebuilds the instance from the backup's
 * image (`instances.fleio.rebuild`), and its cloud (OpenStack) rebuilds only from an image that is
 * active (Nova refuses another: "Image ... is not active"). A backup still Queued or Saving was
 * sent, and the caller got the panel's refusal as a provider fault for a backup it had only to
 * wait for; a Suspended, killed or error one (FAILED) will not turn Active by waiting. A word the
 * gateway does not know (UNKNOWN) is sent, and the panel answers.
 */
export function unrestorableBackup(backup: Pick<Backup, 'status' | 'raw'>): string | null {
  const shown = quotedWord(String(backup.raw.fleio_status ?? ''));
  if (backup.status === 'PENDING' || backup.status === 'CREATING') {
    return `the backup is not created yet (it shows ${shown}; Zomro's backup is created once it shows Active), so nothing was sent to Zomro; wait until the backup reads AVAILABLE, then send the restore again`;
  }
  if (backup.status === 'FAILED') {
    return `the backup shows ${shown}, not Active (Zomro's word for a backup that is created), so the instance cannot be rebuilt from it and nothing was sent to Zomro; restore from another backup`;
  }
  return null;
}
