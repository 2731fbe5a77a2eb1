import { z } from 'zod';
import { credentialShapes, providerEntrySchema } from '../config-base.js';

export const zomroConfigSchema = providerEntrySchema('zomro', {
  /** A session token (`auth=`, not renewable), or a login (`func=auth`, renewed when the session dies). */
  auth: credentialShapes(['token'], ['username', 'password']),
  /**
   * How long after a restore (a rebuild from the backup image) a documented
   * resting `instance_status` (active, stopped) reads as finished. Zomro
   * documents no word for "rebuilding", so a resting word seen sooner may be
   * the state from before the rebuild began.
   */
  restoreSettleMs: z.number().int().min(0).max(3_600_000).default(300_000),
});

export type ZomroConfig = z.infer<typeof zomroConfigSchema>;
