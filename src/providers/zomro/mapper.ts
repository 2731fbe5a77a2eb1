import { cronFromWeekdays } from '../../domain/schedule.js';
import { scheduleRecord } from '../../domain/schedule-record.js';
import type { Backup, BackupOrigin, BackupSchedule, BackupStatus, Instance, Weekday } from '../../domain/types.js';
import { WEEKDAYS } from '../../domain/types.js';
import { endOfDateOnlyIn } from '../../domain/date-only-end.js';
import { parseDateIn } from '../../domain/provider-dates.js';
import { GIB, MIB, toBytes, toStringOrNull } from '../../domain/units.js';
import { idText, idTextOrNull } from '../native-id.js';
import { withPublicRaw } from '../raw.js';
import { ZOMRO_RAW_HIDDEN } from './secrets.js';
import { flagOn } from './on-off.js';
import { rotationDaysOf } from './rotation-days.js';
import { rotationTimeOf } from './rotation-time.js';
import { storedWord } from './stored-word.js';

export { parseRotationDays } from './rotation-days.js';

type Row = Record<string, unknown>;

/** Glance-style image statuses as Zomro spells them (compared lower-cased). */
const STATUS: Record<string, BackupStatus> = {
  queued: 'PENDING',
  saving: 'CREATING',
  // Glance's words while an image's data is still arriving (its upload and import
  // steps): the backup is being made, not failed. `deleted` rows are left out of
  // the lists (deleted-rows.ts).
  uploading: 'CREATING',
  importing: 'CREATING',
  active: 'AVAILABLE',
  pending_delete: 'DELETING',
  deleting: 'DELETING',
  killed: 'FAILED',
  error: 'FAILED',
  // Glance's word for an image an admin took out of use ("The image data is not available for
  // use"): nothing is rebuilt from it while it lasts, so it is no usable backup. It read UNKNOWN,
  // and a restore of it was sent for the panel to refuse.
  deactivated: 'FAILED',
  // Seen in the panel code (compared lower-cased), meaning not documented: a
  // suspended image cannot be restored, so it is no usable backup.
  suspended: 'FAILED',
};

export function mapBackupStatus(word: unknown): BackupStatus {
  if (typeof word !== 'string') return 'UNKNOWN';
  const key = word.trim().toLowerCase();
  // Own keys only: "constructor" would otherwise find Object's.
  return Object.hasOwn(STATUS, key) ? (STATUS[key] as BackupStatus) : 'UNKNOWN';
}

/**
 * `backup_type`, "How the backup was created: Manually or on schedule" (Zomro's backup
 * document). Its example shows `manual`; no document shows the scheduled word (providers.md
 * names the field, no values), so both documents' readings are taken: the example's `manual`
 * and the description's `manually` as MANUAL; `on schedule` / `by schedule` (the description's
 * words), `schedule`, `scheduled` and `auto`/`automatic` (a word a panel might store) as
 * SCHEDULED. Compared trimmed and lower-cased, as the status words are: " manual" and
 * "On schedule" read as no origin. Anything else is not known (null), `raw` keeps it.
 */
function mapOrigin(word: unknown): BackupOrigin | null {
  if (typeof word !== 'string') return null;
  const normalised = word.trim().toLowerCase().replace(/\s+/g, ' ');
  if (normalised === 'manual' || normalised === 'manually') return 'MANUAL';
  const scheduled = normalised.replace(/^(on|by) /, '');
  if (scheduled.startsWith('schedul') || scheduled === 'auto' || scheduled === 'automatic') return 'SCHEDULED';
  return null;
}

/**
 * The instance's state word: `fotbo_status`, the cloud's live status of the
 * VM, before `instance_status`. Zomro's panel shows `fotbo_status` first and
 * falls back to the billing side only when it is empty
 * (`fotboStatus?.replaceAll('_', ' ') || billingStatus`), and only
 * `fotbo_status` has words for work in progress: stopping, starting,
 * creating, building, resizing, processing, rebooting, rescuing, unrescuing,
 * rebuilding (Zomro panel src, getInstanceMainInfo). `instance_status` is
 * documented with resting words only (active | stopped | verify_resize |
 * suspend), so a rebuilding VM read from it looked at rest: a restore was
 * reported finished while the cloud was still rebuilding it.
 */
export function instanceStateWord(row: Row): string | null {
  const billing = toStringOrNull(storedWord(row, 'instance_status'));
  // A service suspended by billing stays SUSPENDED whatever the cloud's word (a suspension
  // stops the VM, so the cloud may well say `stopped`): read from `fotbo_status` alone it was
  // STOPPED, and a restore asked of it SUCCEEDED after restoreSettleMs instead of FAILED.
  if (billing !== null && BILLING_SUSPENDED.has(billing.trim().toLowerCase())) return billing;
  return toStringOrNull(storedWord(row, 'fotbo_status'))?.trim() || billing;
}

/**
 * Whether the row carries the cloud's live word (`fotbo_status`). Without it the state is
 * `instance_status`, which keeps its resting word through a rebuild and after a failed one.
 */
export function showsCloudWord(row: Row): boolean {
  return (toStringOrNull(storedWord(row, 'fotbo_status'))?.trim() ?? '') !== '';
}

/** `instance_status` words of a service blocked by billing (see restoreProgress). */
const BILLING_SUSPENDED = new Set(['suspend', 'suspended']);

export function mapInstance(providerId: string, row: Row): Instance {
  const nativeId = idText(row.id, providerId);
  return withPublicRaw(
    {
      providerId,
      nativeId,
      name: toStringOrNull(row.servername) ?? toStringOrNull(row.name) ?? nativeId,
      state: instanceStateWord(row),
    },
    row,
    ZOMRO_RAW_HIDDEN,
  );
}


// The literals below name every field rather than spread a shared part in: V8
// builds an object that starts with a spread through a fresh hidden class per
// object, 8.5 KB of allocation per backup against 0.3 KB for a plain literal.

/** `timezone`: the account's, the zone of the panel's dates without one (see parseDateIn). */
export function mapBackup(providerId: string, instanceNativeId: string, row: Row, timezone = 'UTC'): Backup {
  const nativeId = idText(row.id, providerId);
  const status = mapBackupStatus(storedWord(row, 'fleio_status'));
  return withPublicRaw(
    {
      providerId,
      nativeId,
      instanceNativeId: idTextOrNull(row.instances_id, providerId) ?? instanceNativeId,
      keyExtra: [],
      name: toStringOrNull(row.name) ?? nativeId,
      status,
      origin: mapOrigin(storedWord(row, 'backup_type')),
      mode: null,
      createdAt: parseDateIn(row.createdate ?? row.created, timezone),
      // Written even when undefined: the literal keeps one shape (see above).
      createdAtLatest: endOfDateOnlyIn(row.createdate ?? row.created, timezone) ?? undefined,
      // "Actual backup size. Determined after the backup creation is complete": a
      // value shown while the backup is still being made (Queued, Saving) is no size.
      sizeBytes: status === 'PENDING' || status === 'CREATING' ? null : imageSizeBytes(row.image_size),
      protected: flagOn(row, 'protected'),
      diskId: null,
      minDiskBytes: toBytes(row.min_disk, GIB),
      // OpenStack's min_ram, which Fleio passes through, is in MB.
      minRamBytes: toBytes(row.min_ram, MIB),
      osDistro: toStringOrNull(row.os_distro),
      osVersion: toStringOrNull(row.os_version),
      region: toStringOrNull(row.region),
      note: null,
      definitionName: null,
    },
    row,
    ZOMRO_RAW_HIDDEN,
  );
}

/**
 * Bytes from the undocumented `image_size` ("Actual backup size", example
 * "3"). Readings: GB (the example, like `min_disk`), or bytes (Glance's own
 * `size`). No backup is a million GB, so a value of at least 2^20 is read as
 * bytes, anything smaller as GB; past 2^53, as no size.
 */
export function imageSizeBytes(value: unknown): number | null {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number) || number < 0) return null;
  if (number < 2 ** 20) return toBytes(number, GIB);
  // Past 2^53 no count of bytes is exact, and `sizeBytes` (SafeInt) refused it: an internal error.
  const bytes = Math.round(number);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** The numbers Zomro takes in `rotation_days`: Sunday = 0. */
export const rotationDaysParam = (weekdays: readonly Weekday[]): string =>
  [...new Set(weekdays.map((day) => WEEKDAYS.indexOf(day)))].sort((a, b) => a - b).join(',');

export function mapSchedule(providerId: string, instanceNativeId: string, row: Row, timezone: string): BackupSchedule {
  const { weekdays, unreadable } = rotationDaysOf(row);
  const time = rotationTimeOf(row.rotation_time);
  const nativeId = idText(row.id, providerId);
  return withPublicRaw(
    scheduleRecord({
      providerId,
      nativeId,
      instanceNativeId: idTextOrNull(row.instance_id, providerId) ?? instanceNativeId,
      keyExtra: [],
      name: toStringOrNull(row.name) ?? nativeId,
      // No readable day: shown as daily (Zomro documents no default; the panel always sends days),
      // and not enabled when days were named but none could be read (see `enabled`).
      // No readable time of day: cron "" (as a Danube definition without a schedule), so no time,
      // weekdays or next run are shown, rather than a midnight Zomro never named.
      cron: time === null ? '' : cronFromWeekdays(weekdays.length > 0 ? weekdays : [...WEEKDAYS], time),
      timezone,
      // Zomro documents no switch for a schedule: a listed one runs, unless its days cannot be read
      // (words of a panel language not known here): then when it runs cannot be told, and a schedule
      // the gateway cannot tell runs must not make an instance PROTECTED (no next run).
      // A schedule whose time cannot be read is not known to run either, so it protects nothing.
      enabled: !unreadable && time !== null,
      cronDialect: 'vixie',
      createdAt: parseDateIn(row.create_date, timezone),
    }),
    row,
    ZOMRO_RAW_HIDDEN,
  );
}
