import type { ProviderHealthCause } from '../domain/types.js';
import type { FailureClass } from './failure-class.js';
import type { HealthReport } from './health-state.js';

/**
 * The API's word for a failure class. Every client with a key may read it, so it is no finer than
 * what providerErrors already tell them ("unreachable" for every failure to connect): a name not
 * found and a connection refused are both UNREACHABLE. Which one, and never the host name or the
 * resolver's words, is for operators: the log's and the admin listener's /readyz's `cause`.
 */
const BY_CLASS: Readonly<Record<FailureClass, ProviderHealthCause>> = {
  dns: 'UNREACHABLE',
  refused: 'UNREACHABLE',
  reset: 'UNREACHABLE',
  unreachable: 'UNREACHABLE',
  tls: 'UNREACHABLE',
  timeout: 'TIMEOUT',
  http_5xx: 'SERVER_ERROR',
  rate_limited: 'RATE_LIMITED',
  redirect: 'REDIRECT',
  // A fixed name: never the provider's words, the refused call's status or the credentials themselves.
  credentials: 'CREDENTIALS_REFUSED',
  other: 'OTHER',
};

/** Why an account's health is not UP (Provider.healthCause); null while UP. */
export function healthCauseOf(report: HealthReport): ProviderHealthCause | null {
  if (report.health === 'UP') return null;
  return report.cause === null ? 'OTHER' : BY_CLASS[report.cause];
}
