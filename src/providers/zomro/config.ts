import { z } from 'zod';
import { providerCommonShape, requireOneOf } from '../../config/common.js';

export const zomroConfigSchema = z.object({
  ...providerCommonShape,
  kind: z.literal('zomro'),
  /** A session token (`auth=`, not renewable), or a login (`func=auth`, renewed when the session dies). */
  auth: z
    .object({ token: z.string().optional(), username: z.string().optional(), password: z.string().optional() })
    .strict()
    .superRefine((auth, context) => requireOneOf(auth, context, [['token'], ['username', 'password']])),
  /**
   * How long after a restore (a rebuild from the backup image) a documented
   * resting `instance_status` (active, stopped) reads as finished. Zomro
   * documents no word for "rebuilding", so a resting word seen sooner may be
   * the state from before the rebuild began.
   */
  restoreSettleMs: z.number().int().min(0).max(3_600_000).default(300_000),
}).strict();

export type ZomroConfig = z.infer<typeof zomroConfigSchema>;
