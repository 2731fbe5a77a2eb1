import { PROVIDER_MODULES } from '../providers/registry.js';
import { DEFAULT_TIMEZONE } from '../providers/config-base.js';
import type { GatewayConfig } from './schema.js';

/** An account whose API writes dates without a zone, configured without `timezone`. */
export interface DefaultTimezone {
  /** The account's `id`. */
  provider: string;
  /** Where its `timezone` would go in the config file, `providers[2].timezone`. */
  path: string;
}

/**
 * Each Zomro or ZStack account (a kind whose API writes local dates with no
 * zone) configured without a `timezone`. Its dates are read as UTC: a panel
 * running ahead of UTC makes every backup read younger by the offset, and an
 * instance PROTECTED for that many hours past its objective, with nothing in
 * an answer to show it (docs/protection.md). A warning, not a refusal: UTC is
 * right for a panel that runs on it, and an account that starts today must
 * not stop starting.
 */
export function defaultTimezones(config: Pick<GatewayConfig, 'providers'>): DefaultTimezone[] {
  return config.providers.flatMap((provider, index) =>
    PROVIDER_MODULES[provider.kind].zonelessDates && provider.timezone === undefined ? [{ provider: provider.id, path: `providers[${index}].timezone` }] : [],
  );
}

/** The warning's words, for `--check-config` and the start-up log. */
export const defaultTimezoneWarning = (account: DefaultTimezone): string =>
  `${account.path} (account ${account.provider}) is not set: this API's dates carry no zone, so they are read as ${DEFAULT_TIMEZONE}; if the panel's clock is on another zone every backup reads older or younger by the offset (and protection with it): set the panel's zone, e.g. timezone: Europe/Amsterdam, or timezone: ${DEFAULT_TIMEZONE} to confirm`;
