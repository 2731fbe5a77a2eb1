import { CronExpressionParser } from 'cron-parser';
import { badInput } from './errors.js';
import { wallCron, type CronFieldTexts } from './cron-wall-runs.js';
import { nextRepeatRun } from './schedule-repeat.js';
import { utcMsOfWallFields } from './wall-fields.js';
import { wallFieldsIn, wallTimeRun } from './zoned-wall-time.js';
import { WEEKDAYS, type BackupSchedule, type CronDialect, type Weekday } from './types.js';

/** Longest cron string we accept; real five-field expressions are far shorter. */
const MAX_CRON_LENGTH = 200;

/**
 * The cron syntax the providers read: numbers (or three-letter month and day
 * names), `*`, ranges, steps and lists. cron-parser also takes `L`, `W`, `#`,
 * `?` and `H`, which Danube's crontab does not, and which the gateway read
 * wrong itself: `5L` ("last Friday") became a null weekday, failing the
 * definitions of its instance on every dashboard, and `H` is a random value
 * on each parse, so each replica showed another time.
 */
const CRON_VALUE = String.raw`(?:\d{1,2}|[A-Za-z]{3})`;
const CRON_ITEM = String.raw`(?:\*|${CRON_VALUE}(?:-${CRON_VALUE})?)(?:/\d{1,2})?`;
const CRON_FIELD = new RegExp(`^${CRON_ITEM}(?:,${CRON_ITEM})*$`);

/** Parses "HH:MM" (24 h); anything else is BAD_USER_INPUT. */
export function parseTime(time: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw badInput(`time must be "HH:MM" (24 h), got ${JSON.stringify(time.slice(0, 20))}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

export const formatTime = (hour: number, minute: number): string =>
  `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;

/** Cron day-of-week numbers (Sunday = 0) for weekdays, sorted and de-duplicated. */
export const weekdayNumbers = (weekdays: readonly Weekday[]): number[] =>
  [...new Set(weekdays.map((day) => WEEKDAYS.indexOf(day)))].sort((a, b) => a - b);

/** The cron of a schedule that runs at `time` on `weekdays`. */
export function cronFromWeekdays(weekdays: readonly Weekday[], time: string): string {
  if (weekdays.length === 0) throw badInput('weekdays must name at least one day');
  const { hour, minute } = parseTime(time);
  const days = weekdayNumbers(weekdays);
  return `${minute} ${hour} * * ${days.length === 7 ? '*' : days.join(',')}`;
}

/** Only the fields are read: when a cron fires is worked out in cron-wall-runs.ts, in the schedule's own zone. */
function parse(cron: string) {
  if (typeof cron !== 'string' || cron.length > MAX_CRON_LENGTH) throw badInput('cron is too long');
  const fields = cron.trim().split(/\s+/);
  // Five fields only: cron-parser also takes a seconds field, which no provider accepts.
  if (fields.length !== 5) throw badInput(`cron must have five fields (minute hour day month weekday), got ${fields.length}`);
  const odd = fields.find((field) => !CRON_FIELD.test(field));
  if (odd !== undefined) throw badInput(`invalid cron expression: ${JSON.stringify(odd.slice(0, 20))} is not a number, a name, *, a range, a step or a list of them`);
  try {
    return CronExpressionParser.parse(fields.join(' '), { tz: 'UTC', strict: false });
  } catch (error) {
    throw badInput(`invalid cron expression: ${error instanceof Error ? error.message.slice(0, 120) : 'unparseable'}`);
  }
}

/** Throws BAD_USER_INPUT unless `cron` is a valid five-field expression; returns it normalised. */
export function validateCron(cron: string): string {
  parse(cron);
  return cron.trim().split(/\s+/).join(' ');
}

export interface CronSummary {
  weekdays: Weekday[];
  /** "HH:MM" when the schedule runs once on each day it runs, else null. */
  time: string | null;
}

/** Which days a cron runs on (all seven for daily) and at what time, if once a day. */
export function describeCron(cron: string): CronSummary {
  const { fields } = parse(cron);
  // cron-parser reports Sunday as both 0 and 7.
  const days = [...new Set(fields.dayOfWeek.values.map((day) => Number(day) % 7))].sort((a, b) => a - b);
  const weekdays = days.map((day) => WEEKDAYS[day] as Weekday);
  const hours = fields.hour.values;
  const minutes = fields.minute.values;
  const time = hours.length === 1 && minutes.length === 1 ? formatTime(Number(hours[0]), Number(minutes[0])) : null;
  return { weekdays, time };
}

/**
 * Next fire times by cron, zone and dialect. A next fire time stays right
 * until it passes, and a dashboard asks for the same few crons hundreds of
 * times, so computing it once per cron per fire is enough.
 */
const nextRuns = new Map<string, { from: number; next: Date | null }>();
const MAX_REMEMBERED = 10_000;

/**
 * Next fire times computed rather than answered from `nextRuns`: the work a test counts instead
 * of timing it (test/gateway/protection-many-schedules.test.ts). One addition per computation,
 * itself hundreds of wall-clock looks.
 */
let nextRunsComputed = 0;
export const nextRunComputations = (): number => nextRunsComputed;

/**
 * Wall times looked at before giving up. A look that answers nothing is a
 * wildcard time in a spring gap (one look per gap: the loop goes on from the
 * jump) or a time already run at its first showing, asked during a repeat's
 * second pass: a minute cron looks at every minute left of the repeat, and
 * one clock was set back seven hours (Vostok, 1994: 420 looks, past the 200
 * this was). UTC offsets span 26 hours (-12 to +14), so no wall time more than
 * 1,560 minutes after now's is at or before now in any zone; the rest is room
 * for the gaps. The bound only stops a loop that would not move on.
 */
const MAX_WALL_LOOKS = 2_000;

/**
 * The next time a cron fires after `now`, reading it on the wall clock of
 * `timezone` as a cron daemon does (Vixie cron, cronie): a time the autumn
 * repeat shows twice runs once, at its first showing; a time the spring jump
 * skips runs at the jump when the job names its minute and hour (02:30 runs
 * at 03:00, the first minute the clock shows after it; cron-parser gave 03:30,
 * and in a half-hour gap, Lord Howe's, the next day), and not at all when
 * either starts with `*` (cron's wildcard jobs run only at times the clock
 * shows). `dialect` says how the two day fields combine (see CronDialect).
 */
export function nextRunAt(cron: string, timezone: string, now: Date = new Date(), dialect: CronDialect = 'vixie'): Date | null {
  return nextRunRemembered(nextRunKey(cron, timezone, dialect), cron, timezone, now, dialect);
}

const nextRunKey = (cron: string, timezone: string, dialect: CronDialect): string => `${timezone}|${dialect}|${cron}`;

/**
 * `nextRuns`' key of a schedule, per schedule object (schedules are never mutated once mapped, and
 * the read cache hands every request the same ones): a warm dashboard built, flattened and hashed
 * a new key string for each of its schedules and definitions; a kept string keeps its hash.
 */
const scheduleRunKeys = new WeakMap<object, string>();
function scheduleRunKey(schedule: Pick<BackupSchedule, 'cron' | 'timezone' | 'cronDialect'>): string {
  let key = scheduleRunKeys.get(schedule);
  if (key === undefined) {
    key = nextRunKey(schedule.cron, schedule.timezone, schedule.cronDialect ?? 'vixie');
    scheduleRunKeys.set(schedule, key);
  }
  return key;
}

function nextRunRemembered(key: string, cron: string, timezone: string, now: Date, dialect: CronDialect): Date | null {
  const at = now.getTime();
  const remembered = nextRuns.get(key);
  // Valid for any `now` between when it was computed and the fire time itself; none after it
  // stays none (a cron that never fires, or fires past 9999, is looked through for 400 years).
  if (remembered && remembered.from <= at && (remembered.next === null || at < remembered.next.getTime())) return remembered.next;
  let next: Date | null;
  nextRunsComputed++;
  try {
    next = firstRunAfter(cron, timezone, now, dialect);
  } catch {
    next = null;
  }
  if (nextRuns.size >= MAX_REMEMBERED) nextRuns.clear();
  nextRuns.set(key, { from: at, next });
  return next;
}

function firstRunAfter(cron: string, timezone: string, now: Date, dialect: CronDialect): Date | null {
  // Checks the cron (throws BAD_USER_INPUT) before its fields are used one by one.
  const parsed = parse(cron).fields;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = cron.trim().split(/\s+/) as [string, string, string, string, string];
  const fields: CronFieldTexts = { minute, hour, dayOfMonth, month, dayOfWeek };
  const fixedTime = !minute.startsWith('*') && !hour.startsWith('*');
  const nextWall = wallCron(fields, dialect, parsed);
  let wall = utcMsOfWallFields(wallFieldsIn(now.getTime(), timezone));
  for (let look = 0; wall !== null && look < MAX_WALL_LOOKS; look++) {
    wall = nextWall(wall);
    if (wall === null) return null;
    const date = new Date(wall);
    const run = wallTimeRun({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: 0 }, timezone);
    if (!run) return null;
    if ((fixedTime || !run.skipped) && run.at.getTime() > now.getTime()) return run.at;
    // A wildcard time in a gap: go on from the jump, not minute by minute through it (Samoa skipped a whole day).
    if (run.skipped) {
      const jumpWall = utcMsOfWallFields(wallFieldsIn(run.at.getTime(), timezone));
      if (jumpWall !== null && jumpWall > wall) wall = jumpWall - 1;
    }
  }
  return null;
}

/**
 * The next run of a schedule after `now`: none while it is switched off
 * (see BackupSchedule.enabled), by its repeat where cron cannot say it (see
 * BackupSchedule.repeat; it counts from its own start), else by its cron,
 * and not before the schedule begins (BackupSchedule.startsAtMs): looked for
 * from just before the start's minute, cron's smallest step, and never
 * earlier than the start itself (a start at 10:00:30 runs then, not at 10:00).
 * A schedule that counts its runs from a start with seconds (OnApp's
 * `start_at`) runs that many seconds into each cron minute, before its start
 * and after: one started at 10:00:30 runs hourly at 11:00:30, as its repeats
 * (every N periods) are counted from the start to the second.
 */
export function nextRunOf(schedule: Pick<BackupSchedule, 'cron' | 'timezone' | 'repeat' | 'enabled' | 'cronDialect' | 'startsAtMs'>, now: Date = new Date()): Date | null {
  if (schedule.enabled === false) return null;
  if (schedule.repeat) return nextRepeatRun(schedule.repeat, schedule.timezone, now);
  const start = schedule.startsAtMs;
  const seconds = start === undefined ? 0 : secondsIntoMinuteMs(start);
  if (start === undefined || !(start > now.getTime())) {
    // Cron minute m runs at m + seconds, after now exactly when m is after now - seconds.
    // Without seconds the remembered Date itself: one object per fire time for every request,
    // so the DateTime scalar's remembered text serves it (a new Date each time was a new
    // toISOString and a new weak entry for each schedule of every warm dashboard).
    if (seconds === 0) return nextRunRemembered(scheduleRunKey(schedule), schedule.cron, schedule.timezone, now, schedule.cronDialect ?? 'vixie');
    const run = nextRunAt(schedule.cron, schedule.timezone, new Date(now.getTime() - seconds), schedule.cronDialect);
    return run === null ? null : new Date(run.getTime() + seconds);
  }
  const run = nextRunAt(schedule.cron, schedule.timezone, new Date(Math.floor(start / MINUTE_MS) * MINUTE_MS - 1), schedule.cronDialect);
  if (run === null) return null;
  // Cron says whole minutes; a start with seconds (10:00:30) is itself the run its minute (10:00) names.
  return run.getTime() < start ? new Date(start) : new Date(run.getTime() + seconds);
}

const MINUTE_MS = 60_000;

/** The whole seconds of `ms` past its minute, in ms (the start's milliseconds are not part of its time, as in its repeats). */
const secondsIntoMinuteMs = (ms: number): number => Math.floor((((ms % MINUTE_MS) + MINUTE_MS) % MINUTE_MS) / 1000) * 1000;
