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
 * `Date.UTC` rolls those over into another date (2024-99-99 into 2032-06-07),
 * and it reads years 0-99 as 1900-1999. Reading the fields back from the
 * instant catches both.
 */
export function utcMsOfWallFields(fields: WallFields): number | null {
  const { year, month, day, hour, minute, second, millisecond = 0 } = fields;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const back = new Date(ms);
  const same =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    back.getUTCSeconds() === second &&
    back.getUTCMilliseconds() === millisecond;
  return same ? ms : null;
}
