import { z } from 'zod';
import { providerCommonShape, requireOneOf } from '../../config/common.js';

export const zstackConfigSchema = z.object({
  ...providerCommonShape,
  kind: z.literal('zstack'),
  /** An account login (the password is sent as its hex SHA-512), or a fixed session id. */
  auth: z
    .object({ accountName: z.string().optional(), password: z.string().optional(), sessionId: z.string().optional() })
    .strict()
    .superRefine((auth, context) => requireOneOf(auth, context, [['accountName', 'password'], ['sessionId']])),
  /** The image store used by create, restore and sync. */
  backupStorageUuid: z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-hex-digit uuid'),
}).strict();

export type ZstackConfig = z.infer<typeof zstackConfigSchema>;
