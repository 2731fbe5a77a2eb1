import { ZONE_KNOWN_FUTURE_TOLERANCE_HOURS, ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS } from '../domain/protection.js';
import { defaultTimezones } from './default-timezone.js';
import type { GatewayConfig } from './schema.js';

/**
 * How far ahead of now each account's backup dates may be and still count
 * as recent (docs/protection.md): a day where the zone its dates were read
 * on is a guess (a Zomro or ZStack account without `timezone`, the accounts
 * `--check-config` warns of), two hours where the provider writes the zone
 * or the account names it.
 */
export function futureToleranceHoursOf(config: Pick<GatewayConfig, 'providers'>): Record<string, number> {
  const zoneGuessed = new Set(defaultTimezones(config).map((account) => account.provider));
  return Object.fromEntries(
    config.providers.map((provider) => [provider.id, zoneGuessed.has(provider.id) ? ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS : ZONE_KNOWN_FUTURE_TOLERANCE_HOURS]),
  );
}
