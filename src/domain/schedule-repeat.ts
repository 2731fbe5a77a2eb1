import type { ScheduleRepeat } from './types.js';
import { dateInWindow, utcMsOfWallFields } from './wall-fields.js';
import { wallFieldsIn, wallTimeRun } from './zoned-wall-time.js';

const DAY_MS = 86_400_000;
/** Enough for any start day to come round again (29 February every 5 years: 20 steps). */
const MAX_STEPS = 400;

/**
 * The first run of `repeat` after `now`: the start's wall-clock time in
 * `timezone`, every N days (weeks: 7N days) or N months (years: 12N) later.
 * A day the month lacks (the 31st, 29 February) is skipped, as cron skips
 * it. Null when the start is outside the dates a provider may name
 * (1970-9999, see dateInWindow) or no run comes within MAX_STEPS. The window,
 * not just a finite number: a start the Date API cannot read (1e300, in a
 * record another writer cached) threw, and one before year 100 was read
 * 1,900 years late by Date.UTC, giving a run in 3924.
 */
export function nextRepeatRun(repeat: ScheduleRepeat, timezone: string, now: Date): Date | null {
  if (dateInWindow(repeat.fromMs) === null || !Number.isInteger(repeat.every) || repeat.every < 1) return null;
  if (repeat.unit === 'hours') return nextHourlyRun(repeat.fromMs, repeat.every, now.getTime());
  const start = wallFieldsIn(repeat.fromMs, timezone);
  const at = now.getTime();
  const byDays = repeat.unit === 'days' || repeat.unit === 'weeks';
  const step = repeat.every * (repeat.unit === 'weeks' ? 7 : repeat.unit === 'years' ? 12 : 1);
  // Start one step early: a DST change moves a run by an hour either way.
  const elapsed = byDays ? (at - repeat.fromMs) / DAY_MS : monthsBetween(start, wallFieldsIn(at, timezone));
  const first = Math.max(0, Math.floor(elapsed / step) - 1);
  for (let k = first; k < first + MAX_STEPS; k++) {
    const fields = byDays ? plusDays(start, k * step) : plusMonths(start, k * step);
    // As cron runs a wall time (see wallTimeRun): the first of an autumn repeat, the jump past a spring gap.
    const run = fields ? (wallTimeRun(fields, timezone)?.at ?? null) : null;
    if (run && run.getTime() > at) return run;
  }
  return null;
}

type Fields = ReturnType<typeof wallFieldsIn>;

const HOUR_MS = 3_600_000;

/**
 * Every N hours counts elapsed time, not the wall clock: N hours after a run
 * is N hours later across a DST change too (a wall-clock step has no single
 * meaning there). The start itself when it is still to come.
 */
function nextHourlyRun(fromMs: number, every: number, at: number): Date | null {
  const step = every * HOUR_MS;
  const run = at < fromMs ? fromMs : fromMs + (Math.floor((at - fromMs) / step) + 1) * step;
  return Number.isFinite(run) && Math.abs(run) <= 8.64e15 ? new Date(run) : null;
}

const monthsBetween = (from: Fields, to: Fields): number => (to.year - from.year) * 12 + (to.month - from.month);

function plusDays(start: Fields, days: number): Fields | null {
  const midnight = utcMsOfWallFields({ ...start, hour: 0, minute: 0, second: 0 });
  if (midnight === null) return null;
  const date = new Date(midnight + days * DAY_MS);
  return { ...start, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Null when the month has no such day: utcMsOfWallFields (via zonedWallTimeToUtc) never rolls over, and this must not either. */
function plusMonths(start: Fields, months: number): Fields | null {
  const index = start.year * 12 + (start.month - 1) + months;
  const fields = { ...start, year: Math.floor(index / 12), month: (index % 12) + 1 };
  return utcMsOfWallFields(fields) === null ? null : fields;
}
