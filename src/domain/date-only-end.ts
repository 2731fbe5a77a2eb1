import { parseUtcDate } from './provider-dates.js';
import { zonedWallTimeToUtc } from './zoned-wall-time.js';

/** "2024-07-23": a date alone, as Zomro's BILLmanager writes a backup's `createdate`. */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * The last millisecond of a date alone's day on the wall clock of `timezone`:
 * the latest moment a backup dated so can have been made. parseDateIn reads the
 * same date as the day's start (the earliest), which `createdAt` shows; judged
 * by that, a backup made daily at 23:00 read STALE against a 24-hour objective
 * from midnight to 23:05 the next day, nearly all of every day. Null for a date
 * with a time (it names its moment: no range to close), and for a text that is
 * no date.
 */
export function endOfDateOnlyIn(value: unknown, timezone: string): Date | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!DATE_ONLY.test(text)) return null;
  const key = `${timezone}\n${text}`;
  let endMs = dayEnds.get(key);
  if (endMs === undefined) {
    if (dayEnds.size >= REMEMBERED_DAY_ENDS) dayEnds.clear();
    endMs = dayEndMs(text, timezone);
    dayEnds.set(key, endMs);
  }
  return endMs === null ? null : new Date(endMs);
}

/**
 * Day ends worked out, by zone and date. Each costs two Intl formatToParts (the zone's offset,
 * twice for clock changes), some 300 K instructions, and an uncached dashboard reads Zomro's
 * ~200 backups dated by a few dozen days: uncounted, 50-60 M instructions a dashboard (+11 %,
 * npm run bench:uncached-instructions). Cleared whole when full: a few thousand days of a few zones.
 */
const dayEnds = new Map<string, number | null>();
const REMEMBERED_DAY_ENDS = 4_096;

function dayEndMs(text: string, timezone: string): number | null {
  const day = parseUtcDate(text);
  if (day === null) return null;
  // The next day's midnight there, less a millisecond: a day of a clock change is 23 or 25 hours long.
  const next = new Date(day.getTime() + DAY_MS);
  const nextMidnight = zonedWallTimeToUtc({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0, second: 0 }, timezone);
  return nextMidnight === null ? null : nextMidnight.getTime() - 1;
}
