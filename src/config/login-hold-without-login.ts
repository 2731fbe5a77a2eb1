import { PROVIDER_MODULES } from '../providers/registry.js';
import type { GatewayConfig } from './schema.js';

/** An account given `refusedLoginHeldMs` whose credentials never make it log in. */
export interface LoginHoldWithoutLogin {
  /** The account's `id`. */
  provider: string;
  /** Where the key sits in the config file, `providers[1].refusedLoginHeldMs`. */
  path: string;
  /** What the account sends with each request instead, `its OnApp API key`. */
  credential: string;
}

/**
 * Each account whose `refusedLoginHeldMs` does nothing: it sends a key, token
 * or session with every request and never logs in, so there is no refused
 * login to hold. Its writer believed that account's refusals held, and a
 * provider refusing that key is asked at every request. A warning, not a
 * refusal: the key is valid on every account, and a config that starts today
 * must not stop starting (as short-secrets.ts).
 */
export function loginHoldsWithoutLogin(config: Pick<GatewayConfig, 'providers'>): LoginHoldWithoutLogin[] {
  return config.providers.flatMap((provider, index) => {
    if (provider.refusedLoginHeldMs === undefined) return [];
    const credential = PROVIDER_MODULES[provider.kind].standingCredential(provider.auth);
    return credential === null ? [] : [{ provider: provider.id, path: `providers[${index}].refusedLoginHeldMs`, credential }];
  });
}

/** The warning's words, for `--check-config` and the start-up log. */
export const loginHoldWithoutLoginWarning = (found: LoginHoldWithoutLogin): string =>
  `${found.path} (account ${found.provider}) has no effect: the account sends ${found.credential} with each request and has no login to hold; ` +
  `the hold is for an account that logs in with a password (Zomro or Danube username and password, ZStack accountName and password): remove it`;
