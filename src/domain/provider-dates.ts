import { dateInWindow, utcMsOfFields } from './wall-fields.js';
import { zonedWallTimeToUtc } from './zoned-wall-time.js';

/**
 * The date forms the providers send, and nothing else:
 *
 * - a date alone, "2024-07-23" (Zomro's `createdate`);
 * - a date and time without a zone, "2024-07-23 10:20:30", with a space or a
 *   "T", seconds optional (Zomro);
 * - RFC 3339 / ISO 8601 with a zone, "2015-08-13T01:59:20+00:00" (OnApp),
 *   "2024-03-05T04:00:12.345Z" (Danube, whose Django writes up to six
 *   fraction digits; up to nine are read, kept to the millisecond). The
 *   zone may be hours alone, "+03", as PostgreSQL writes a timestamptz as
 *   text; a leap second (":60") is read as the last millisecond before it.
 *
 * Anything else ("soon", "+275760-09-13T00:00:00Z", a date in words) is no
 * date: JavaScript's own `new Date(text)` guesses at far more than this.
 */
const PROVIDER_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)?)?$/i;
/** RFC 3339's leap second, "23:59:60" in UTC at the end of a month: second 60 of whichever minute that is in the zone written. */
const LEAP_SECOND = 60;
const MINUTE_MS = 60_000;

/**
 * A provider date, strictly: a date without a zone is read as UTC
 * ("2024-07-23" is midnight UTC), one with a zone keeps it. Null (unknown)
 * for anything not in the forms above, for fields out of range (2024-02-30,
 * 25:00; never rolled over into another date), and for instants outside
 * 1970-9999 (see `dateInWindow`).
 */
export function parseUtcDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  // `test`, then the fields read at their places: `exec` built a match array and a string per
  // field for each of the ~1,500 dates an uncached dashboard reads, garbage a moment later.
  if (!PROVIDER_DATE.test(text)) return null;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millisecond = 0;
  let offsetMs: number | null = 0;
  if (text.length > DATE_ONLY_LENGTH) {
    hour = twoDigits(text, 11);
    minute = twoDigits(text, 14);
    let at = 16;
    if (text.charCodeAt(at) === COLON) {
      second = twoDigits(text, at + 1);
      at += 3;
      if (text.charCodeAt(at) === DOT) {
        // Up to nine fraction digits, kept to the millisecond.
        for (let place = 100, digit = at + 1; digit < text.length && isDigit(text.charCodeAt(digit)); place /= 10, digit++) {
          if (place >= 1) millisecond += (text.charCodeAt(digit) - ZERO) * place;
          at = digit + 1;
        }
      }
    }
    // No offset (none, or "Z"): UTC.
    const sign = text.charCodeAt(at);
    if (sign === PLUS || sign === MINUS) {
      const minutesAt = text.charCodeAt(at + 3) === COLON ? at + 4 : at + 3;
      offsetMs = zoneOffsetMs(sign === MINUS ? '-' : '+', twoDigits(text, at + 1), minutesAt < text.length ? twoDigits(text, minutesAt) : 0);
    }
  }
  // A leap second is kept within its own minute (and day): JavaScript time has no second 60.
  const leap = second === LEAP_SECOND;
  const wallMs = utcMsOfFields(twoDigits(text, 0) * 100 + twoDigits(text, 2), twoDigits(text, 5), twoDigits(text, 8), hour, minute, leap ? LEAP_SECOND - 1 : second, leap ? 999 : millisecond);
  if (wallMs === null || offsetMs === null) return null;
  // Only 23:59:60 UTC at the end of a month is a leap second (RFC 3339 5.7): "12:59:60Z", or
  // "23:59:60+03:00" (20:59:60 UTC), is a time no clock showed. In a zone it may fall at any
  // minute of the hour ("05:29:60+05:30").
  if (leap && !endsUtcMonth(wallMs - offsetMs)) return null;
  return dateInWindow(wallMs - offsetMs);
}

/** "2024-07-23": a date alone. */
const DATE_ONLY_LENGTH = 10;
const ZERO = 0x30;
const COLON = 0x3a;
const DOT = 0x2e;
const PLUS = 0x2b;
const MINUS = 0x2d;
const isDigit = (code: number): boolean => code >= ZERO && code <= ZERO + 9;
/** The two digits at `at` of a text PROVIDER_DATE matched, as a number. */
const twoDigits = (text: string, at: number): number => (text.charCodeAt(at) - ZERO) * 10 + text.charCodeAt(at + 1) - ZERO;

/**
 * A provider date whose forms without a zone ("2024-07-23", "2024-07-23
 * 14:05:00") are the account's wall clock in `timezone` (its config), as a
 * panel shows its own local time; one with a zone keeps it. A date alone is
 * the start of that day there: the earliest the backup can have been made, so
 * its age is never read short. Read as UTC, a backup made just after local
 * midnight in a zone ahead of UTC (Zomro's panels are in Europe) was up to
 * the zone's offset younger than it is, and PROTECTED that long past the
 * objective.
 */
export function parseDateIn(value: unknown, timezone: string): Date | null {
  const asUtc = parseUtcDate(value);
  if (asUtc === null || timezone === 'UTC' || hasZone(value as string)) return asUtc;
  const wall = asUtc;
  return zonedWallTimeToUtc(
    { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds(), millisecond: wall.getUTCMilliseconds() },
    timezone,
  );
}

/** Whether a date parseUtcDate read names its zone ("Z", "+02:00"). */
function hasZone(value: string): boolean {
  const text = value.trim();
  if (!PROVIDER_DATE.test(text)) return false;
  // Past the date's own hyphens (at 4 and 7) a sign is only an offset's.
  return /z$/i.test(text) || text.includes('+', DATE_ONLY_LENGTH) || text.includes('-', DATE_ONLY_LENGTH);
}

/** Whether `ms` is the last millisecond of a month in UTC: where a leap second is inserted. */
function endsUtcMonth(ms: number): boolean {
  const next = new Date(ms + 1);
  return next.getUTCDate() === 1 && next.getUTCHours() === 0 && next.getUTCMinutes() === 0 && next.getUTCSeconds() === 0 && next.getUTCMilliseconds() === 0;
}

/** "+03:00" or "-0530" as milliseconds ahead of UTC; null for an offset no clock has (+24:00, +01:60). */
function zoneOffsetMs(sign: string, hours: number, minutes: number): number | null {
  if (hours > 23 || minutes > 59) return null;
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes) * MINUTE_MS;
}
