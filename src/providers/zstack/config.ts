import { z } from 'zod';
import { credentialShapes, providerEntrySchema } from '../config-base.js';

/**
 * How long a create's backup may still be listed unfinished (Creating) once its job can no longer
 * say how it ended (timed out, SYS.1001, or expired) before the operation is FAILED, and how long a
 * delete so judged may still list its backup Deleting: two hours by
 * default, as Zomro's and OnApp's `backupGiveUpMs`, up to a day for a large disk's backup.
 */
export const DEFAULT_BACKUP_GIVE_UP_MS = 2 * 60 * 60_000;

export const zstackConfigSchema = providerEntrySchema('zstack', {
  /** An account login (the password is sent as its hex SHA-512), or a fixed session id. */
  auth: credentialShapes(['accountName', 'password'], ['sessionId']),
  /** The image store used by create, restore and sync. */
  backupStorageUuid: z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-hex-digit uuid'),
  /** How long after a create or delete whose job timed out or expired its backup may be listed Creating or Deleting, reading RUNNING; FAILED after. */
  backupGiveUpMs: z.number().int().min(3_600_000).max(86_400_000).default(DEFAULT_BACKUP_GIVE_UP_MS),
  /**
   * Whether the management node starts a session's lifetime again with each call it answers. The
   * API documents say nothing of it and ZStack's code has read it both ways across versions: unset
   * (false), the session is renewed ahead of the `expiredDate` its login answered, used or not;
   * true, ahead of a lifetime after the last call answered, so a session in use is not renewed.
   */
  sessionRenewedOnUse: z.boolean().optional(),
});

export type ZstackConfig = z.infer<typeof zstackConfigSchema>;
