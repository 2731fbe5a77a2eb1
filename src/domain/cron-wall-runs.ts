import { CronExpressionParser, type CronFieldCollection } from 'cron-parser';
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
 * How far ahead a cron is looked through before it is taken never to fire:
 * 400 years, the Gregorian calendar's whole cycle, after which every date
 * falls on the same weekday again. What fires at all fires within it: 29
 * February on a Monday comes round in 28 years, 40 across 2100. A month the
 * cron does not name is passed in one look, so this is at most 400 * 12 * 31
 * looks (a Celery `0 4 31 4 1`, which never fires, takes some 16,000).
 */
const CALENDAR_CYCLE_MS = 146_097 * DAY_MS;

/** The first wall time after the one given at which a cron fires (see wallCron); null when it never does. */
export type NextWallRun = (afterMs: number) => number | null;

/**
 * A cron's runs in "wall milliseconds" (the wall clock's fields read as if
 * UTC), so that DST plays no part here (see wallTimeRun for that). The
 * fields are parsed once by cron-parser; the days and times are then
 * looked through here, where the dialect's day rule can be applied.
 * `onLook` is told of each day or month looked at: what a test counts, as a
 * time on a loaded machine says nothing of how much was looked through.
 */
export function wallCron(fields: CronFieldTexts, dialect: CronDialect, parsedFields?: CronFieldCollection, onLook?: () => void): NextWallRun {
  // The caller's own parse where it has one: a parse costs as much as all the looks after it.
  const parsed = parsedFields ?? CronExpressionParser.parse(`${fields.minute} ${fields.hour} ${fields.dayOfMonth} ${fields.month} ${fields.dayOfWeek}`, { tz: 'UTC', strict: false }).fields;
  const numbers = (values: readonly unknown[]) => values.map(Number);
  const minutes = numbers(parsed.minute.values);
  const timesOfDay = [...new Set(numbers(parsed.hour.values).flatMap((hour) => minutes.map((minute) => (hour * 60 + minute) * MINUTE_MS)))].sort((a, b) => a - b);
  const months = new Set(numbers(parsed.month.values));
  const monthDays = new Set(numbers(parsed.dayOfMonth.values));
  const { isDay, needsMonthDay } = dayRule(fields, dialect, monthDays, new Set(numbers(parsed.dayOfWeek.values).map((day) => day % 7)));
  // No month it names has a day it names (31 April): it never fires. Said at once rather than after 400 years of looks.
  if (needsMonthDay && ![...months].some((month) => [...monthDays].some((day) => day <= (LONGEST_MONTH[month - 1] ?? 0)))) return () => null;
  return (afterMs) => {
    let dayStart = Math.floor(afterMs / DAY_MS) * DAY_MS;
    const lastDay = Math.min(dayStart + CALENDAR_CYCLE_MS, LATEST_DATE_MS);
    // On the first day only times after `afterMs`; on later days, any.
    let after = afterMs - dayStart;
    while (dayStart <= lastDay) {
      onLook?.();
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

/** The most days each month has (29 for February). */
const LONGEST_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

interface DayRule {
  /** Whether a day (its day of the month, and its weekday, Sunday 0) is one the cron runs on. */
  isDay: (monthDay: number, weekday: number) => boolean;
  /** Whether no day runs unless its day of the month is named. */
  needsMonthDay: boolean;
}

function dayRule(fields: CronFieldTexts, dialect: CronDialect, monthDays: ReadonlySet<number>, weekdays: ReadonlySet<number>): DayRule {
  const { dayOfMonth, dayOfWeek } = fields;
  if (dayOfMonth === '*') return { isDay: (_monthDay, weekday) => weekdays.has(weekday), needsMonthDay: false };
  if (dayOfWeek === '*') return { isDay: (monthDay) => monthDays.has(monthDay), needsMonthDay: true };
  const both = dialect === 'celery' || dayOfMonth.startsWith('*') || dayOfWeek.startsWith('*');
  if (both) return { isDay: (monthDay, weekday) => monthDays.has(monthDay) && weekdays.has(weekday), needsMonthDay: true };
  return { isDay: (monthDay, weekday) => monthDays.has(monthDay) || weekdays.has(weekday), needsMonthDay: false };
}

/** As wallCron, for one look. */
export const nextWallRun = (fields: CronFieldTexts, afterMs: number, dialect: CronDialect, onLook?: () => void): number | null => wallCron(fields, dialect, undefined, onLook)(afterMs);
