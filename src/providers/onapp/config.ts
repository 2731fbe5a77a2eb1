import { z } from 'zod';
import { providerEntrySchema, requiredString } from '../config-base.js';

const ONAPP_AUTH_KEY = 'unknown key; OnApp takes { username, password }: the user, and its API key as the password (HTTP basic)';

export const onappConfigSchema = providerEntrySchema('onapp', {
  /** HTTP basic auth: the OnApp user and its API key. */
  // An OnApp API key is a password, but a newcomer writes it as `apiKey`: "allowed here: username,
  // password" did not say where it goes.
  auth: z.strictObject(
    { username: requiredString, password: requiredString },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map(() => ONAPP_AUTH_KEY).join('\n') : undefined) },
  ),
});

export type OnappConfig = z.infer<typeof onappConfigSchema>;
