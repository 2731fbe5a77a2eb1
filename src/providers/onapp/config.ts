import { z } from 'zod';
import { providerEntrySchema, requiredString } from '../config-base.js';

export const onappConfigSchema = providerEntrySchema('onapp', {
  /** HTTP basic auth: the OnApp user and its API key. */
  auth: z.object({ username: requiredString, password: requiredString }).strict(),
});

export type OnappConfig = z.infer<typeof onappConfigSchema>;
