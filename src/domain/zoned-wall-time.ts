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
  const offset = zoneOffsetMs(asUtc - zoneOffsetMs(asUtc, timezone), timezone);
  const instant = asUtc - offset;
  // A time the autumn repeat shows twice is read as its first showing, as wallTimeRun reads it: the two
  // passes found the second in zones ahead of UTC (Europe), and a backup dated in that hour read an
  // hour younger than it may be. The offset before the change, where this time shows with it, is that one.
  const before = zoneOffsetMs(instant - REPEAT_LOOK_BACK_MS, timezone);
  if (before > offset && zoneOffsetMs(asUtc - before, timezone) === before) return dateInWindow(asUtc - before);
  return dateInWindow(instant);
}

/** Further back than any clock change since 1970 has set the clock: the offset before an autumn repeat. */
const REPEAT_LOOK_BACK_MS = 3 * 3_600_000;

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

const DAY_MS = 86_400_000;

/** When a job set for a wall time runs, and whether the clock skipped that time. */
export interface WallTimeRun {
  at: Date;
  /** The zone's clock jumped over the wall time (spring forward): `at` is the jump. */
  skipped: boolean;
}

/**
 * When a cron daemon runs a job set for this wall time in an IANA zone, as
 * Vixie cron and cronie do (cron.c, on a clock that jumps forward or back): a time the
 * autumn repeat shows twice runs once, at its first showing; a time the
 * spring jump skips (02:30 when 02:00 becomes 03:00) runs as soon as the
 * clock has jumped, at 03:00, not at 03:30 nor the next day. Null when a
 * field is out of range or the instant falls outside 1970-9999.
 *
 * Assumes at most one offset change within two days either side, as every
 * DST rule has; the offsets two days off are the ones before and after it.
 */
export function wallTimeRun(fields: WallFields, timezone: string): WallTimeRun | null {
  const asUtc = utcMsOfWallFields(fields);
  if (asUtc === null) return null;
  const before = zoneOffsetMs(asUtc - 2 * DAY_MS, timezone);
  const after = zoneOffsetMs(asUtc + 2 * DAY_MS, timezone);
  // The earlier reading first: of an autumn repeat's two showings, the first.
  const readings = [asUtc - before, asUtc - after].sort((a, b) => a - b);
  const shown = readings.find((instant) => showsFields(instant, fields, timezone));
  if (shown !== undefined) return windowed(shown, false);
  if (after <= before) return null;
  // In the gap: read with the offset before the jump it is after the jump, with the one after it before.
  return windowed(jumpBetween(asUtc - after, asUtc - before, timezone), true);
}

const windowed = (instant: number, skipped: boolean): WallTimeRun | null => {
  const at = dateInWindow(instant);
  return at ? { at, skipped } : null;
};

function showsFields(instant: number, fields: WallFields, timezone: string): boolean {
  const shown = wallFieldsIn(instant, timezone);
  return shown.year === fields.year && shown.month === fields.month && shown.day === fields.day && shown.hour === fields.hour && shown.minute === fields.minute && shown.second === fields.second;
}

/** The first whole second at which the zone's offset is the later one, between an instant before the jump and one after it. */
function jumpBetween(beforeJump: number, afterJump: number, timezone: string): number {
  const laterOffset = zoneOffsetMs(afterJump, timezone);
  let low = Math.floor(beforeJump / 1000);
  let high = Math.ceil(afterJump / 1000);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (zoneOffsetMs(middle * 1000, timezone) === laterOffset) high = middle;
    else low = middle;
  }
  return high * 1000;
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
