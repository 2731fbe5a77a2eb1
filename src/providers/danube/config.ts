import { z } from 'zod';
import { credentialShapes, providerEntrySchema } from '../config-base.js';

export const danubeConfigSchema = providerEntrySchema('danube', {
  /** An API key (ES-API-KEY header), or a login (POST /accounts/login -> Authorization: Token). */
  auth: credentialShapes(['apiKey'], ['username', 'password']),
  /** The virtual datacenter every call is scoped to. */
  dc: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a datacenter name').optional(),
});

export type DanubeConfig = z.infer<typeof danubeConfigSchema>;
