import { z } from 'zod';
import { credentialShapes, providerEntrySchema } from '../config-base.js';

export const zstackConfigSchema = providerEntrySchema('zstack', {
  /** An account login (the password is sent as its hex SHA-512), or a fixed session id. */
  auth: credentialShapes(['accountName', 'password'], ['sessionId']),
  /** The image store used by create, restore and sync. */
  backupStorageUuid: z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-hex-digit uuid'),
  /**
   * Whether the management node starts a session's lifetime again with each call it answers. The
   * API documents say nothing of it and ZStack's code has read it both ways across versions: unset
   * (false), the session is renewed ahead of the `expiredDate` its login answered, used or not;
   * true, ahead of a lifetime after the last call answered, so a session in use is not renewed.
   */
  sessionRenewedOnUse: z.boolean().optional(),
});

export type ZstackConfig = z.infer<typeof zstackConfigSchema>;
