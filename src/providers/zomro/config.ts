import { z } from 'zod';
import { providerCommonShape, requireOneOf } from '../../config/common.js';

export const zomroConfigSchema = z.object({
  ...providerCommonShape,
  kind: z.literal('zomro'),
  /** A session token (`auth=`) or a login (`authinfo=user:password` on each request). */
  auth: z
    .object({ token: z.string().optional(), username: z.string().optional(), password: z.string().optional() })
    .strict()
    .superRefine((auth, context) => requireOneOf(auth, context, [['token'], ['username', 'password']])),
}).strict();

export type ZomroConfig = z.infer<typeof zomroConfigSchema>;
