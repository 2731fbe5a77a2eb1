import { z } from 'zod';
import { credentialShapes, providerEntrySchema } from '../config-base.js';

/** The largest restoreSettleMs: a restore never gives up before a resting word may be read. */
const MOST_RESTORE_SETTLE_MS = 3_600_000;

/**
 * How long a restore may show a word not at rest before it is FAILED. A
 * rebuild writes the backup image onto the disk: minutes for the usual few
 * GB, some half an hour for a large disk's hundred GB at 50-100 MB/s. Two
 * hours is well past that, and short enough that a stuck rebuild (or a word
 * that never rests) is reported the same day rather than RUNNING for ever.
 */
export const DEFAULT_RESTORE_GIVE_UP_MS = 2 * 60 * 60_000;

/**
 * How long a create may show its backup still being made (Queued, Saving),
 * or a delete still find its backup listed, before it is FAILED. Making a
 * backup writes the disk's image as a rebuild reads it, so the restore's two
 * hours hold here too; a snapshot OpenStack left stuck in queued or saving
 * (a compute service restarted mid-upload) never ends by itself.
 */
export const DEFAULT_BACKUP_GIVE_UP_MS = DEFAULT_RESTORE_GIVE_UP_MS;

export const zomroConfigSchema = providerEntrySchema('zomro', {
  /** A session token (`auth=`, not renewable), or a login (`func=auth`, renewed when the session dies). */
  auth: credentialShapes(['token'], ['username', 'password']),
  /**
   * How long after a restore (a rebuild from the backup image) a documented
   * resting `instance_status` (active, stopped) reads as finished. Zomro
   * documents no word for "rebuilding", so a resting word seen sooner may be
   * the state from before the rebuild began.
   */
  restoreSettleMs: z.number().int().min(0).max(MOST_RESTORE_SETTLE_MS).default(300_000),
  /** How long after a restore a state word not at rest (rebuilding, one nobody documents) still reads RUNNING; FAILED after. */
  restoreGiveUpMs: z.number().int().min(MOST_RESTORE_SETTLE_MS).max(86_400_000).default(DEFAULT_RESTORE_GIVE_UP_MS),
  /** How long after a create its backup may still show Queued or Saving, and after a delete its backup still be listed, reading RUNNING; FAILED after. */
  backupGiveUpMs: z.number().int().min(3_600_000).max(86_400_000).default(DEFAULT_BACKUP_GIVE_UP_MS),
});

export type ZomroConfig = z.infer<typeof zomroConfigSchema>;
