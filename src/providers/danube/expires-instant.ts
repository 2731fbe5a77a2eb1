/**
 * A date-time as ISO 8601 writes it: date, `T` or a space, time with seconds and a fraction
 * optional, and a zone optional (`Z`, `+01:00`, `+0100`, `+01`).
 */
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** Seconds since the epoch, written as digits. */
const EPOCH_SECONDS = /^\d{1,12}(?:\.\d+)?$/;

/**
 * When the token of a Danube login ends (its `expires`), in ms since the epoch; null when `expires`
 * is none of the forms below, so the token is renewed only once Danube refuses it. Neither the API
 * docs nor providers.md give the form (esdc-ce writes a datetime; how depends on its settings), so
 * each form a Danube may send is read:
 * - an ISO 8601 date-time with a zone (`2026-12-05T13:00:00Z`, `...+01:00`), as written;
 * - one without a zone (`2026-12-05T13:00:00`, a naive datetime as Django writes it), read as UTC:
 *   Danube's servers keep UTC. `Date.parse` reads such a date as the gateway's own local time, so a
 *   gateway east of UTC saw the token already ended and one west of it renewed hours too late;
 * - seconds since the epoch, as a number or as digits.
 * A fraction past milliseconds (Python writes microseconds) is cut to milliseconds.
 */
export function expiresAtMs(expires: unknown): number | null {
  if (typeof expires === 'number') return Number.isFinite(expires) && expires > 0 ? expires * 1000 : null;
  if (typeof expires !== 'string') return null;
  const text = expires.trim();
  if (EPOCH_SECONDS.test(text)) return Number(text) * 1000;
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return null;
  const [, date, hoursMinutes, seconds = '00', fraction = '0', zone] = match;
  const millis = fraction.slice(0, 3).padEnd(3, '0');
  const at = Date.parse(`${date}T${hoursMinutes}:${seconds}.${millis}${zoneOf(zone)}`);
  return Number.isFinite(at) ? at : null;
}

/** The zone as `Date.parse` reads it for sure: `Z` or `±hh:mm`; none is UTC. */
function zoneOf(zone: string | undefined): string {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 'Z';
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4).padEnd(2, '0')}`;
}
