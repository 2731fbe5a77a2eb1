import { z } from 'zod';
import { credentialShapes, providerEntrySchema } from '../config-base.js';

export const zstackConfigSchema = providerEntrySchema('zstack', {
  /** An account login (the password is sent as its hex SHA-512), or a fixed session id. */
  auth: credentialShapes(['accountName', 'password'], ['sessionId']),
  /** The image store used by create, restore and sync. */
  backupStorageUuid: z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-hex-digit uuid'),
});

export type ZstackConfig = z.infer<typeof zstackConfigSchema>;
