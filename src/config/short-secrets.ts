import { PROVIDER_MODULES } from '../providers/registry.js';
import { MIN_SECRET_LENGTH } from '../upstream/secrets.js';
import type { GatewayConfig } from './schema.js';

/** A configured secret the scrubber will not look for: named by its account and key, never by its value. */
export interface ShortSecret {
  /** The account's `id`. */
  provider: string;
  /** The key within the account, `auth.password`. */
  setting: string;
  /** Where it sits in the config file, `providers[2].auth.password`. */
  path: string;
}

/**
 * Each configured provider secret shorter than the scrubber's minimum. It is
 * sent as configured, but a provider quoting it back (in an error, a name,
 * `tparams`) reaches answers and logs unscrubbed. A warning, not a refusal:
 * the README asks for longer secrets, it does not promise to refuse these,
 * and an account that works today must not stop starting.
 */
export function shortSecrets(config: Pick<GatewayConfig, 'providers'>): ShortSecret[] {
  return config.providers.flatMap((provider, index) => {
    const auth = provider.auth as Record<string, unknown>;
    return PROVIDER_MODULES[provider.kind].secretKeys.flatMap((key) => {
      const value = auth[key];
      if (typeof value !== 'string' || value === '' || value.length >= MIN_SECRET_LENGTH) return [];
      return [{ provider: provider.id, setting: `auth.${key}`, path: `providers[${index}].auth.${key}` }];
    });
  });
}

/** The warning's words, for `--check-config` and the start-up log. */
export const shortSecretWarning = (secret: ShortSecret): string =>
  `${secret.path} (account ${secret.provider}) is shorter than ${MIN_SECRET_LENGTH} characters: it is not scrubbed from provider text (errors, names, raw records) before answers and logs; configure a longer one`;
