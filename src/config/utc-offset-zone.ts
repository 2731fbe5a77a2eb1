/**
 * A UTC offset written as an account's time zone (`+02:00`, `UTC+2`, `GMT-5`): no zone name, so
 * refused with "must be an IANA time zone such as Europe/Amsterdam", which did not say why an
 * offset is not one. A panel's dates follow its zone's daylight saving, which an offset does not;
 * a fixed offset that is meant is IANA's `Etc/GMT` zone of the opposite sign.
 */
export function utcOffsetZoneProblem(input: unknown): string | undefined {
  const offset = typeof input === 'string' ? /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(input.trim()) : null;
  if (offset === null) return undefined;
  const [, sign, hours, minutes] = offset;
  const whole = Number(hours);
  const fixed = (minutes === undefined || Number(minutes) === 0) && whole >= 1 && whole <= 12 ? ` (a fixed offset all year: Etc/GMT${sign === '+' ? '-' : '+'}${whole}, its sign inverted)` : '';
  return `must be an IANA time zone, not a UTC offset: write the zone of the provider's panel, such as Europe/Amsterdam, whose offset follows daylight saving${fixed}`;
}
