import { dateInWindow, utcMsOfWallFields, type WallFields } from './wall-fields.js';

/**
 * Wall-clock fields read in an IANA zone, as the UTC instant they name.
 * Used for providers that send local times without a zone (ZStack). Null
 * when a field is out of range (never rolled over) or the instant falls
 * outside 1970-9999 (see `dateInWindow`).
 */
export function zonedWallTimeToUtc(fields: WallFields, timezone: string): Date | null {
  const asUtc = utcMsOfWallFields(fields);
  if (asUtc === null) return null;
  // The zone's offset at that instant; a second pass settles DST edges.
  let guess = asUtc - zoneOffsetMs(asUtc, timezone);
  guess = asUtc - zoneOffsetMs(guess, timezone);
  return dateInWindow(guess);
}

/** The wall-clock fields `instant` shows in an IANA zone (the inverse of zonedWallTimeToUtc). */
export function wallFieldsIn(instant: number, timezone: string): WallFields {
  const wall = new Date(instant + zoneOffsetMs(instant, timezone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
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
