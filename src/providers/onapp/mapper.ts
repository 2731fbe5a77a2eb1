import type { Backup, BackupOrigin, BackupSchedule, BackupStatus, Instance, ScheduleRepeat } from '../../domain/types.js';
import { parseUtcDate } from '../../domain/provider-dates.js';
import { scheduleRecord } from '../../domain/schedule-record.js';
import { GIB, KIB, MIB, toBytes, toNumber, toStringOrNull } from '../../domain/units.js';
import { idText, idTextOrNull } from '../native-id.js';
import { withPublicRaw } from '../raw.js';
import { ONAPP_RAW_HIDDEN } from './secrets.js';

type Row = Record<string, unknown>;

export function mapInstance(providerId: string, row: Row): Instance {
  const nativeId = idText(row.id, providerId);
  const state = toStringOrNull(row.state) ?? (row.booted === true ? 'booted' : row.booted === false ? 'shut down' : null);
  return withPublicRaw({ providerId, nativeId, name: toStringOrNull(row.label) ?? toStringOrNull(row.hostname) ?? nativeId, state }, row, ONAPP_RAW_HIDDEN);
}

export function mapBackupStatus(row: Row): BackupStatus {
  if (row.marked_for_delete === true) return 'DELETING';
  if (row.built === true) return 'AVAILABLE';
  if (row.built === false) return 'CREATING';
  return 'UNKNOWN';
}

/** The periods of OnApp's auto-backup schedules ("initiated - period when backup is initiated: days, weeks, months, or years"; hours on later versions). */
const SCHEDULE_PERIODS: ReadonlySet<string> = new Set(['hours', 'days', 'weeks', 'months', 'years']);

/**
 * `initiated`: "manual", or the period of the auto-backup schedule that made
 * the backup. Only a period is SCHEDULED: a create never takes a SCHEDULED
 * backup for its own (new-backup.ts), so any other value ("Manual", "api",
 * a number) read as SCHEDULED left the create never finding its backup.
 * What is neither is not known (null), and may still be a create's.
 */
export function originOf(initiated: string | null): BackupOrigin | null {
  const value = initiated?.trim().toLowerCase() ?? '';
  if (value === 'manual') return 'MANUAL';
  return SCHEDULE_PERIODS.has(value) ? 'SCHEDULED' : null;
}

/**
 * The VM a backup row names, where it names one: "target_type - target for
 * which the backup was taken; For normal backups it is a disk. For incremental
 * backups it's virtual server", `target_id` its id, the VM's own `id` as
 * `/virtual_machines.json` lists it. A disk's backup names its disk alone,
 * whose VM only a disk list would tell: null.
 */
export function vmOfBackup(row: Row, providerId: string): string | null {
  return row.target_type === 'VirtualMachine' ? idTextOrNull(row.target_id, providerId) : null;
}

export function mapBackup(providerId: string, vmId: string, row: Row): Backup {
  const id = idText(row.id, providerId);
  const initiated = toStringOrNull(row.initiated);
  // "backup_type – normal or incremental" (OnApp backups/images document; both its samples
  // lower-case). Read trimmed and lower-cased, as `initiated` and a schedule's `period` are: a
  // panel's "Incremental" read as no mode. Any other word is not known (null); `raw` keeps it.
  const type = toStringOrNull(row.backup_type)?.trim().toLowerCase();
  return withPublicRaw(
    {
      providerId,
      nativeId: id,
      instanceNativeId: vmOfBackup(row, providerId) ?? vmId,
      keyExtra: [],
      // `identifier` is the "disk identifier", the same for every backup of a disk:
      // OnApp backups have no name of their own, so the id names them.
      name: toStringOrNull(row.label) ?? `backup-${id}`,
      status: mapBackupStatus(row),
      origin: originOf(initiated),
      mode: type === 'incremental' ? 'INCREMENTAL' : type === 'normal' ? 'FULL' : null,
      createdAt: parseUtcDate(row.created_at),
      // Only Zomro dates a backup by its day alone; written here so every Backup has one shape (domain-record-shapes).
      createdAtLatest: undefined,
      // "the disk space taken by this backup in kB": an unbuilt backup's is not known yet, and OnApp
      // shows 0 meanwhile (as the simulator does), which read as an empty backup.
      sizeBytes: row.built === false ? null : toBytes(row.backup_size, KIB),
      // `locked` is "true if the storage server backed up has been locked": a state of
      // the VM, not a refusal to delete the backup. OnApp documents no delete protection.
      protected: false,
      diskId: idTextOrNull(row.disk_id, providerId) ?? (row.target_type === 'Disk' ? idTextOrNull(row.target_id, providerId) : null),
      minDiskBytes: toBytes(row.min_disk_size, GIB),
      minRamBytes: toBytes(row.min_memory_size, MIB),
      osDistro: toStringOrNull(row.operating_system_distro),
      // `operating_system` is "the OS of the storage server backed up" (linux, windows):
      // a family, not a version; it stays in raw.
      osVersion: null,
      region: null,
      note: toStringOrNull(row.note),
      definitionName: null,
    },
    row,
    ONAPP_RAW_HIDDEN,
  );
}

const HOURS_A_DAY = 24;

/**
 * `period` "hours" (later OnApp versions; the documents list days, weeks,
 * months, years) read as days where N hours is whole days: every 48 hours is
 * every 2 days, with the same cron and repeat.
 */
function inWholeDays(row: Row): Row {
  const every = toNumber(row.duration) ?? 0;
  return row.period === 'hours' && Number.isInteger(every) && every > 0 && every % HOURS_A_DAY === 0 ? { ...row, period: 'days', duration: every / HOURS_A_DAY } : row;
}

/**
 * OnApp auto-backup schedules repeat every `duration` `period`s from
 * `start_at` (else `created_at`); as cron in the account's time zone (the
 * schema documents schedule times in it): hours -> at that minute of the
 * hours N apart from the start's (N dividing a day; any other N shows every
 * hour at that minute, its runs from `repeat`), days -> every N days at that
 * time, weeks -> that weekday, months -> that day of the month, years -> that date.
 */
export function scheduleCron(source: Row, timezone: string): string {
  const row = inWholeDays(source);
  const instant = parseUtcDate(row.start_at) ?? parseUtcDate(row.created_at) ?? new Date(0);
  const { minute, hour, day, month, weekday } = wallTime(instant, timezone);
  const every = Math.max(1, toNumber(row.duration) || 1);
  switch (row.period) {
    case 'hours':
      return `${minute} ${hoursField(hour, every)} * * *`;
    case 'weeks':
      return `${minute} ${hour} * * ${weekday}`;
    case 'months':
      return `${minute} ${hour} ${day} ${every === 1 ? '*' : `*/${every}`} *`;
    case 'years':
      return `${minute} ${hour} ${day} ${month} *`;
    default:
      return `${minute} ${hour} ${every === 1 ? '*' : `*/${every}`} * *`;
  }
}

/**
 * The cron hour field of every `every` hours through `hour`: `*` for each
 * hour, `*\/N` from midnight, else the hours themselves (every 6 from 05:00:
 * 5,11,17,23). An N that does not divide a day has no hour field that repeats
 * daily: each hour (the runs come from `repeat`).
 */
function hoursField(hour: number, every: number): string {
  if (every === 1 || !Number.isInteger(every) || HOURS_A_DAY % every !== 0) return '*';
  const first = hour % every;
  if (first === 0) return `*/${every}`;
  return Array.from({ length: HOURS_A_DAY / every }, (_, index) => first + index * every).join(',');
}

const REPEAT_UNITS = new Set<ScheduleRepeat['unit']>(['hours', 'days', 'weeks', 'months', 'years']);

/**
 * Every N > 1 periods from `start_at` has no cron: a day step of 2 fires on the
 * odd days of each month whatever day the schedule started, and weeks or
 * years ignored N, so nextRunAt named runs that never came (every 2 days
 * from the 2nd: "tomorrow, the 3rd"; every 2 weeks: a week early). The
 * runs then come from the start and the step (see nextRunOf).
 */
export function scheduleRepeat(source: Row): { repeat?: ScheduleRepeat } {
  const row = inWholeDays(source);
  const every = Math.max(1, toNumber(row.duration) || 1);
  const unit = typeof row.period === 'string' && REPEAT_UNITS.has(row.period as ScheduleRepeat['unit']) ? (row.period as ScheduleRepeat['unit']) : 'days';
  if (every === 1 || !Number.isInteger(every)) return {};
  // Every N hours with N dividing a day: the cron says it exactly.
  if (unit === 'hours' && HOURS_A_DAY % every === 0) return {};
  const from = parseUtcDate(row.start_at) ?? parseUtcDate(row.created_at) ?? new Date(0);
  return { repeat: { fromMs: from.getTime(), every, unit } };
}

/**
 * The schedule's `start_at`, where it names one: its first run, which a cron
 * (every single period) cannot say. `created_at`, the fallback start of
 * scheduleCron, is never ahead, so it is not needed here.
 */
export function scheduleStart(row: Row): { startsAtMs?: number } {
  const start = parseUtcDate(row.start_at);
  return start ? { startsAtMs: start.getTime() } : {};
}

const WEEKDAY_NUMBER: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Building an Intl.DateTimeFormat costs far more than using one (issue 14: 5% of an uncached dashboard's CPU): one per zone. */
const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** Zone names Intl reads as UTC itself (no offset, no daylight saving). */
const UTC_ZONES: ReadonlySet<string> = new Set(['UTC', 'Etc/UTC']);

/** The wall-clock fields of `instant` in `timezone` (Sunday = 0). */
function wallTime(instant: Date, timezone: string): { minute: number; hour: number; day: number; month: number; weekday: number } {
  // UTC, the zone of an account configured without one: the Date's own UTC fields, which
  // formatToParts gives too, without its array of nine part objects per schedule.
  if (UTC_ZONES.has(timezone) && !Number.isNaN(instant.getTime())) {
    return { minute: instant.getUTCMinutes(), hour: instant.getUTCHours(), day: instant.getUTCDate(), month: instant.getUTCMonth() + 1, weekday: instant.getUTCDay() };
  }
  let format = wallFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', minute: 'numeric', hour: 'numeric', day: 'numeric', month: 'numeric', weekday: 'short' });
    wallFormats.set(timezone, format);
  }
  const parts = format.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((item) => item.type === type)?.value ?? '';
  return { minute: Number(part('minute')), hour: Number(part('hour')), day: Number(part('day')), month: Number(part('month')), weekday: WEEKDAY_NUMBER[part('weekday')] ?? 0 };
}

/**
 * Whether OnApp runs the schedule: its `status`, "enabled" unless set
 * otherwise (OnApp's PHP wrapper: a required field, default "enabled"). A
 * disabled schedule was read as running: an instance with a recent backup and
 * only a disabled schedule was PROTECTED, and one with none was STALE
 * ("the first backup is coming") instead of UNPROTECTED. Any other word is
 * read as not running too: a schedule the gateway cannot tell runs must not
 * make an instance PROTECTED. No status (an older panel): it runs.
 */
export function scheduleEnabled(status: unknown): boolean {
  if (status === undefined || status === null) return true;
  return typeof status === 'string' && status.trim().toLowerCase() === 'enabled';
}

/**
 * Whether OnApp takes the disk's auto-backups: its `has_autobackups` (the
 * disk record, as OnApp's PHP wrapper and panels read it; switched by
 * `/settings/disks/{id}/autobackup_enable.json` and `_disable.json`,
 * providers.md). Switched off, a disk's schedule stays and takes nothing:
 * "If you enable the auto-backups for a target with assigned schedule - this
 * schedule will remain unchanged" (OnApp, Manage Auto-Backups). Its schedule
 * was read as running, and kept the VM PROTECTED with nothing to renew its
 * backup. Not said (a panel without the field): on, as before. Any other
 * value than on (true, "true", 1) is off: a disk the gateway cannot tell is
 * backed up must not make an instance PROTECTED.
 */
export function autobackupsOn(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (value === true || value === 1) return true;
  return typeof value === 'string' && ['true', '1'].includes(value.trim().toLowerCase());
}

/**
 * Whether the schedule keeps any backup: its `rotation_period`, "the number
 * of backups after which the first backup will be deleted" (OnApp, Manage
 * Backup Schedules; providers.md: a newer versions' create parameter, no
 * meaning given). 0 keeps none: each backup is deleted once made, as a Danube
 * definition of retention 0, so the schedule protects nothing. Whether OnApp
 * reads 0 so, or as no rotation at all, no document says; the first is
 * taken, since the second read wrongly calls an instance PROTECTED and the
 * first only calls one STALE. Not said (versions before the field): it keeps
 * its backups. A value that is no whole number of 1 or more keeps none too.
 */
export function keepsBackups(rotationPeriod: unknown): boolean {
  if (rotationPeriod === undefined || rotationPeriod === null) return true;
  const count = typeof rotationPeriod === 'number' ? rotationPeriod : typeof rotationPeriod === 'string' && /^\s*\d{1,9}\s*$/.test(rotationPeriod) ? Number(rotationPeriod) : Number.NaN;
  return Number.isSafeInteger(count) && count >= 1;
}

/**
 * `enabled` is whether OnApp will take backups by the schedule and keep
 * them: its own status, its disk's auto-backups (`diskAutobackups`, from
 * the disk record: autobackupsOn) and its rotation (keepsBackups). A
 * schedule that does not runs nothing for the gateway: no next run, and it
 * never makes an instance PROTECTED; its `raw` keeps `status` and
 * `rotation_period` as OnApp sent them.
 */
export function mapSchedule(providerId: string, vmId: string, diskId: string, source: Row, timezone: string, diskAutobackups = true): BackupSchedule {
  return mapAnySchedule(providerId, vmId, diskId, source, timezone, diskAutobackups);
}

/**
 * A schedule of the VM itself (`GET /virtual_machines/{id}/schedules.json`, see OnappConfig
 * `vmSchedules`), read as a disk's: OnApp keeps both in one `schedules` resource (one id space, one
 * `DELETE /schedules/:id.json`), and OnApp's PHP wrapper maps both to the same fields; only
 * `target_type` ("VirtualMachine") and `target_id` (the VM's id) differ. Assumed, not seen in a
 * document: no sample of a VM-level schedule is published. It names no disk, so its global id has
 * no disk key (`[vm, id]` beside a disk schedule's `[vm, id, disk]`: never the same id), and the
 * protection view counts a recent backup of any disk under it, as for a schedule naming no disk.
 * No disk's `has_autobackups` applies: its own `status` and `rotation_period` say whether it runs.
 */
export function mapVmSchedule(providerId: string, vmId: string, source: Row, timezone: string): BackupSchedule {
  return mapAnySchedule(providerId, vmId, undefined, source, timezone, true);
}

/** `diskId`: the disk a disk's schedule backs up (its key besides the VM), undefined for the VM's own. */
function mapAnySchedule(providerId: string, vmId: string, diskId: string | undefined, source: Row, timezone: string, diskAutobackups: boolean): BackupSchedule {
  const period = knownPeriod(source.period);
  // Read as its lower-case word; `raw` keeps the row as OnApp sent it.
  const row = period === null ? source : { ...source, period };
  const id = idText(row.id, providerId);
  return withPublicRaw(
    scheduleRecord({
      providerId,
      nativeId: id,
      instanceNativeId: vmId,
      keyExtra: diskId === undefined ? [] : [diskId],
      // Display words only: a value that is no text or number (a list, nested as deep as a hostile
      // panel likes, overflowed String()) reads as its documented default.
      name: `${toStringOrNull(row.action) ?? 'autobackup'} every ${toStringOrNull(row.duration) ?? 1} ${toStringOrNull(row.period) ?? 'days'}`,
      cron: scheduleCron(row, timezone),
      timezone,
      repeat: scheduleRepeat(row).repeat,
      startsAtMs: scheduleStart(row).startsAtMs,
      enabled: periodKnown(source.period) && scheduleEnabled(row.status) && diskAutobackups && keepsBackups(row.rotation_period),
      cronDialect: 'vixie',
      diskId,
      createdAt: parseUtcDate(row.created_at),
    }),
    // Read from the row as OnApp sent it, not the one with `period` lower-cased.
    source,
    ONAPP_RAW_HIDDEN,
  );
}

/** `period` as one of SCHEDULE_PERIODS, compared lower-cased ("Weeks" read as days showed a weekly schedule daily); null for any other value. */
function knownPeriod(period: unknown): string | null {
  const word = typeof period === 'string' ? period.trim().toLowerCase() : '';
  return SCHEDULE_PERIODS.has(word) ? word : null;
}

/**
 * Whether the schedule's period can be read: one of the documented words (and `hours`), or none
 * given (shown as days, as before). Another word was shown as every N days: a schedule whose runs
 * the gateway cannot tell made an instance PROTECTED. It now runs nothing for the gateway (no
 * next run), as a disabled one.
 */
const periodKnown = (period: unknown): boolean => period === undefined || period === null || knownPeriod(period) !== null;
