import { z } from 'zod';
import { providerCommonShape, requiredString } from '../../config/common.js';

export const onappConfigSchema = z.object({
  ...providerCommonShape,
  kind: z.literal('onapp'),
  /** HTTP basic auth: the OnApp user and its API key. */
  auth: z.object({ username: requiredString, password: requiredString }).strict(),
}).strict();

export type OnappConfig = z.infer<typeof onappConfigSchema>;
