/** Unit conversions shared by the mappers; sizes are normalised to bytes. */

export const KIB = 1024;
export const MIB = 1024 ** 2;
/** OpenStack-style GB (Zomro image_size/min_disk, OnApp min_disk_size): 2^30 bytes. */
export const GIB = 1024 ** 3;

/** A number from a provider field that may be a string, empty, or missing. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const parsed = Number(value.trim());
  return Number.isFinite(parsed) ? parsed : null;
}

/** `value` in `unit` bytes, rounded to a whole byte; null when missing or negative. */
export function toBytes(value: unknown, unit: number): number | null {
  const parsed = toNumber(value);
  if (parsed === null || parsed < 0) return null;
  const bytes = Math.round(parsed * unit);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

export const toStringOrNull = (value: unknown): string | null =>
  typeof value === 'string' ? (value === '' ? null : value) : typeof value === 'number' ? String(value) : null;

/**
 * A date with no zone, read as UTC: "2024-07-23" is midnight UTC,
 * "2024-07-23 10:20:30" that instant in UTC. Strings with a zone keep theirs.
 */
export function parseUtcDate(value: unknown): Date | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const zoneless = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  const date = dateOnly
    ? new Date(Date.UTC(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3])))
    : zoneless
      ? new Date(Date.UTC(Number(zoneless[1]), Number(zoneless[2]) - 1, Number(zoneless[3]), Number(zoneless[4]), Number(zoneless[5]), Number(zoneless[6] ?? 0)))
      : new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Wall-clock fields read in an IANA zone, as the UTC instant they name.
 * Used for providers that send local times without a zone (ZStack).
 */
export function zonedWallTimeToUtc(parts: { year: number; month: number; day: number; hour: number; minute: number; second: number }, timezone: string): Date {
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  // The zone's offset at that instant; a second pass settles DST edges.
  let guess = asUtc - zoneOffsetMs(asUtc, timezone);
  guess = asUtc - zoneOffsetMs(guess, timezone);
  return new Date(guess);
}

/** Building an Intl.DateTimeFormat costs far more than using one: one per zone. */
const formats = new Map<string, Intl.DateTimeFormat>();

function zoneOffsetMs(instant: number, timezone: string): number {
  let format = formats.get(timezone);
  if (!format) {
    format = newFormat(timezone);
    formats.set(timezone, format);
  }
  const fields = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const wall = Date.UTC(Number(fields.year), Number(fields.month) - 1, Number(fields.day), Number(fields.hour), Number(fields.minute), Number(fields.second));
  return wall - Math.floor(instant / 1000) * 1000;
}

function newFormat(timezone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}
