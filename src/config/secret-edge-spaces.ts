import { PROVIDER_MODULES } from '../providers/registry.js';
import type { GatewayConfig } from './schema.js';

/** A provider secret with a space or tab at an end: named by its account and key, never by its value. */
export interface SecretEdgeSpace {
  /** The account's `id`. */
  provider: string;
  /** The key within the account, `auth.password`. */
  setting: string;
  /** Where it sits in the config file, `providers[2].auth.password`. */
  path: string;
}

/**
 * Each provider secret that begins or ends with a space or tab: `ZOMRO_TOKEN=abc ` in a `.env`
 * file, or a copy that took the space after the token. It is sent as it is and the provider
 * refuses the login, with nothing pointing at the space (a line break is refused outright:
 * secret-line-breaks.ts). A warning, not a refusal: a password may end with a space, and an
 * account that works today must not stop starting (as short-secrets.ts).
 */
export function secretEdgeSpaces(config: Pick<GatewayConfig, 'providers'>): SecretEdgeSpace[] {
  return config.providers.flatMap((provider, index) => {
    const auth = provider.auth as Record<string, unknown>;
    return PROVIDER_MODULES[provider.kind].secretKeys.flatMap((key) => {
      const value = auth[key];
      if (typeof value !== 'string' || value === value.trim()) return [];
      return [{ provider: provider.id, setting: `auth.${key}`, path: `providers[${index}].auth.${key}` }];
    });
  });
}

/** The warning's words, for `--check-config` and the start-up log. */
export const secretEdgeSpaceWarning = (secret: SecretEdgeSpace): string =>
  `${secret.path} (account ${secret.provider}) begins or ends with a space: it is sent with it, and the provider refuses the login unless the space is part of the secret; if it is not, remove it (from the file, or from the variable that gives it)`;
