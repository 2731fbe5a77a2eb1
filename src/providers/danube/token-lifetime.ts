import { expiresAtMs } from './expires-instant.js';

/** A lifetime longer than this is no lifetime the gateway plans by (a year: a date written wrong). */
const LONGEST_PLANNED_MS = 366 * 24 * 3_600_000;

/**
 * How long a token from Danube's login lives: its `expires` (an hour from the login, not extended
 * by use; the forms read: expires-instant.ts) less the provider's clock at the answer, read from the answer's `Date` header (the
 * server's clock, at a second's grain) so a skew between its clock and the gateway's does not move
 * the renewal; the gateway's own clock (`receivedAt`) when there is none. Null when `expires` is
 * missing or unreadable, or the lifetime is not positive or past a year: the token is then renewed
 * only when Danube refuses it.
 */
export function tokenLifetimeMs(expires: unknown, dateHeader: string | string[] | undefined, receivedAt: number): number | null {
  const end = expiresAtMs(expires);
  if (end === null) return null;
  const serverNow = typeof dateHeader === 'string' ? Date.parse(dateHeader) : Number.NaN;
  const lifetime = end - (Number.isFinite(serverNow) ? serverNow : receivedAt);
  return Number.isFinite(lifetime) && lifetime > 0 && lifetime <= LONGEST_PLANNED_MS ? lifetime : null;
}
