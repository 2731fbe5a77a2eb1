import { z } from 'zod';
import { providerCommonShape, requireOneOf } from '../../config/common.js';

export const danubeConfigSchema = z.object({
  ...providerCommonShape,
  kind: z.literal('danube'),
  /** An API key (ES-API-KEY header), or a login (POST /accounts/login -> Authorization: Token). */
  auth: z
    .object({ apiKey: z.string().optional(), username: z.string().optional(), password: z.string().optional() })
    .strict()
    .superRefine((auth, context) => requireOneOf(auth, context, [['apiKey'], ['username', 'password']])),
  /** The virtual datacenter every call is scoped to. */
  dc: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a datacenter name').optional(),
}).strict();

export type DanubeConfig = z.infer<typeof danubeConfigSchema>;
