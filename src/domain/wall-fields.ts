/** Calendar and clock fields as a provider writes them: month 1-12, day 1-31, hour 0-23. */
export interface WallFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond?: number;
}

/**
 * The instants a provider date may name: 1970-01-01 to the last millisecond
 * of 9999, UTC. The top keeps every DateTime the gateway writes RFC 3339
 * (JavaScript writes year 10000 and later as "+010000-...", which RFC 3339
 * parsers refuse), and a date that far ahead is a lie anyway. Nothing was
 * backed up before the Unix epoch: dates before it are placeholders for
 * "none" (MySQL's zero date 0000-00-00, Go's zero time 0001-01-01), so they
 * are read as none. The epoch itself, another such placeholder, is let
 * through: it reads as decades old (STALE), never as recent.
 */
export const EARLIEST_DATE_MS = Date.UTC(1970, 0, 1);
export const LATEST_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The instant `ms` as a Date when it is inside the window above; otherwise no date. */
export function dateInWindow(ms: number): Date | null {
  return ms >= EARLIEST_DATE_MS && ms <= LATEST_DATE_MS ? new Date(ms) : null;
}

/**
 * The fields read as UTC, in milliseconds since the epoch; null when any is
 * out of range (month 13, day 32, 30 February, hour 24, minute or second 60):
 * `Date.UTC` would roll those over into another date (2024-99-99 into
 * 2032-06-07). Years below 100 are refused too: `Date.UTC` reads them as
 * 1900-1999, and all are outside the window anyway. Leap seconds (23:59:60)
 * are refused with the rest: none has been inserted since 2016.
 */
export function utcMsOfWallFields(fields: WallFields): number | null {
  const { year, month, day, hour, minute, second, millisecond = 0 } = fields;
  return utcMsOfFields(year, month, day, hour, minute, second, millisecond);
}

/** `utcMsOfWallFields` without a fields object: parseUtcDate reads ~1,500 dates an uncached dashboard. */
export function utcMsOfFields(year: number, month: number, day: number, hour: number, minute: number, second: number, millisecond: number): number | null {
  const inRange =
    year >= 100 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59 &&
    millisecond >= 0 &&
    millisecond <= 999;
  return inRange ? Date.UTC(year, month - 1, day, hour, minute, second, millisecond) : null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Month 1-12's length in the proleptic Gregorian calendar (Date's), counted rather than asked of a Date made for it. */
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}
