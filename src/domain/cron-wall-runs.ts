import { CronExpressionParser } from 'cron-parser';
import type { CronDialect } from './types.js';
import { LATEST_DATE_MS } from './wall-fields.js';


/** The five fields of a cron, as written (already checked). */
export interface CronFieldTexts {
  minute: string;
  hour: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * Days looked at before a cron is taken never to fire: 400 years of them,
 * the Gregorian calendar's whole cycle (a month the cron does not name is
 * passed in one look). What fires at all fires within it: 29 February on a
 * Monday comes round in 28 years, 40 across 2100.
 */
const MAX_LOOKS = 400 * 12 * 31;

/** The first wall time after the one given at which a cron fires (see wallCron); null when it never does. */
export type NextWallRun = (afterMs: number) => number | null;

/**
 * A cron's runs in "wall milliseconds" (the wall clock's fields read as if
 * UTC), so that DST plays no part here (see wallTimeRun for that). The
 * fields are parsed once by cron-parser; the days and times are then
 * looked through here, where the dialect's day rule can be applied.
 */
export function wallCron(fields: CronFieldTexts, dialect: CronDialect): NextWallRun {
  const parsed = CronExpressionParser.parse(`${fields.minute} ${fields.hour} ${fields.dayOfMonth} ${fields.month} ${fields.dayOfWeek}`, { tz: 'UTC', strict: false }).fields;
  const numbers = (values: readonly unknown[]) => values.map(Number);
  const minutes = numbers(parsed.minute.values);
  const timesOfDay = [...new Set(numbers(parsed.hour.values).flatMap((hour) => minutes.map((minute) => (hour * 60 + minute) * MINUTE_MS)))].sort((a, b) => a - b);
  const months = new Set(numbers(parsed.month.values));
  const isDay = dayRule(fields, dialect, new Set(numbers(parsed.dayOfMonth.values)), new Set(numbers(parsed.dayOfWeek.values).map((day) => day % 7)));
  return (afterMs) => {
    let dayStart = Math.floor(afterMs / DAY_MS) * DAY_MS;
    // On the first day only times after `afterMs`; on later days, any.
    let after = afterMs - dayStart;
    for (let look = 0; look < MAX_LOOKS && dayStart <= LATEST_DATE_MS; look++) {
      const date = new Date(dayStart);
      if (!months.has(date.getUTCMonth() + 1)) {
        dayStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
      } else {
        const time = isDay(date.getUTCDate(), date.getUTCDay()) ? timesOfDay.find((candidate) => candidate > after) : undefined;
        if (time !== undefined) return dayStart + time;
        dayStart += DAY_MS;
      }
      after = -1;
    }
    return null;
  };
}

/** Whether a day (its day of the month, and its weekday, Sunday 0) is one the cron runs on, by the dialect's rule. */
function dayRule(fields: CronFieldTexts, dialect: CronDialect, monthDays: ReadonlySet<number>, weekdays: ReadonlySet<number>): (monthDay: number, weekday: number) => boolean {
  const { dayOfMonth, dayOfWeek } = fields;
  if (dayOfMonth === '*') return (_monthDay, weekday) => weekdays.has(weekday);
  if (dayOfWeek === '*') return (monthDay) => monthDays.has(monthDay);
  const both = dialect === 'celery' || dayOfMonth.startsWith('*') || dayOfWeek.startsWith('*');
  return both ? (monthDay, weekday) => monthDays.has(monthDay) && weekdays.has(weekday) : (monthDay, weekday) => monthDays.has(monthDay) || weekdays.has(weekday);
}

/** As wallCron, for one look. */
export const nextWallRun = (fields: CronFieldTexts, afterMs: number, dialect: CronDialect): number | null => wallCron(fields, dialect)(afterMs);
