import { madeByMs } from './backup-made-by.js';
import { nextRunOf } from './schedule.js';
import type { Backup, BackupDefinition, BackupSchedule } from './types.js';

export const PROTECTION_STATUSES = ['PROTECTED', 'STALE', 'UNPROTECTED', 'UNKNOWN'] as const;
export type ProtectionStatus = (typeof PROTECTION_STATUSES)[number];

/** Why an instance has its status: one word per branch of the rule below. */
export type ProtectionReason =
  | 'RECENT_BACKUP_SCHEDULED'
  | 'RECENT_BACKUP_SCHEDULE_NOT_LISTED'
  | 'RECENT_BACKUP_NOTHING_SCHEDULED'
  | 'RECENT_BACKUP_OTHER_DISK_SCHEDULED'
  | 'BACKUP_TOO_OLD'
  | 'BACKUP_AGE_UNKNOWN'
  | 'BACKUP_DATED_IN_FUTURE'
  | 'NO_BACKUP_YET'
  | 'NO_BACKUP_NOTHING_SCHEDULED'
  | 'NO_BACKUP_SCHEDULE_NOT_LISTED'
  | 'PROVIDER_FAILED'
  | 'RETENTION_UNKNOWN'
  | 'STALE_EITHER_RETENTION';

export const DEFAULT_RPO_HOURS = 24;
const HOUR_MS = 3_600_000;

/**
 * How far ahead of `now` a backup's date may be and still count (as
 * recent), where the account's dates could be read on the wrong zone: a
 * Zomro or ZStack account configured without `timezone` (their dates carry
 * none, and are read as UTC). Clocks drift by seconds or minutes, and a
 * provider's local time read in the wrong zone is off by at most 14 hours
 * (UTC+14): a day covers both. A date further ahead is not skew but a wrong
 * date, which says nothing about the backup's age; counting it as recent
 * would let a provider with a broken clock (or a hostile one) keep a stale
 * instance PROTECTED for years.
 */
export const ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS = 24;

/**
 * The same where the zone is known: the provider writes it (OnApp, Danube),
 * or the account's `timezone` says which it is. Left only to a clock's drift
 * and a wall time in a DST change read an hour off (`zonedWallTimeToUtc`);
 * a day there let a date 23 hours ahead, which no zone explains, keep an
 * instance PROTECTED for its objective and those 23 hours more.
 */
export const ZONE_KNOWN_FUTURE_TOLERANCE_HOURS = 2;

/**
 * What the rule needs of one instance. A list is `Error` when the provider
 * failed to give it, and `null` when the provider cannot list it at all (a
 * missing capability): the two must never be confused, since the first is
 * UNKNOWN and the second is simply knowledge the gateway cannot have.
 */
export interface ProtectionFacts {
  backups: readonly Backup[] | Error;
  /** Schedules, where the provider has no definitions (Zomro, OnApp). */
  schedules: readonly BackupSchedule[] | Error | null;
  /** Definitions, where the provider has them (Danube): then they, not `schedules`, say what runs. */
  definitions: readonly BackupDefinition[] | Error | null;
}

export interface Protection {
  status: ProtectionStatus;
  reason: ProtectionReason;
  rpoHours: number;
  /**
   * The newest AVAILABLE backup by a believable createdAt (at most
   * the future tolerance ahead); failing one, a backup dated further
   * ahead, then an undated one. Null when none, or UNKNOWN.
   */
  lastBackup: Backup | null;
  /** When the next scheduled backup runs, across schedules / active definitions. */
  nextRunAt: Date | null;
  /** Whether anything will make a backup; null when the provider lists no schedules, or failed. */
  scheduled: boolean | null;
  /** Whether the provider lets the gateway see schedules at all. */
  scheduleKnown: boolean;
  /** Usable backups (AVAILABLE, or RESTORING: see isUsable); null when the provider failed. */
  usableBackups: number | null;
  /** The failure behind UNKNOWN PROVIDER_FAILED, safe to show; null otherwise (RETENTION_UNKNOWN is no failure). */
  error: Error | null;
}

/**
 * The protection rule, pure (no clock of its own):
 *
 * - UNKNOWN: a list the rule needs could not be read (PROVIDER_FAILED); or a
 *   definition gives no retention and the verdict turns on it
 *   (RETENTION_UNKNOWN, see retentionUnknownOr). Never guessed.
 * - PROTECTED: the newest AVAILABLE backup is within `rpoHours` of `now`, and
 *   something is scheduled (where schedules name disks, a backup within
 *   `rpoHours` is of a scheduled disk, or of no named disk); or the provider lists no schedules at all
 *   (ZStack) and the backup is recent: the gateway judges by the backup alone
 *   there (`scheduleKnown: false` says so).
 * - STALE: the newest AVAILABLE backup is older than `rpoHours` (or has no
 *   date to show it is not, or only a date more than
 *   the future tolerance ahead, which shows nothing); or there is none yet
 *   while something is scheduled; or it is recent but nothing is scheduled
 *   to make the next one, so protection runs out within `rpoHours` (or
 *   only other disks are scheduled: RECENT_BACKUP_OTHER_DISK_SCHEDULED).
 * - UNPROTECTED: no AVAILABLE backup, and nothing scheduled (or, where
 *   schedules cannot be listed, no AVAILABLE backup: nothing to restore).
 */
export function protectionOf(facts: ProtectionFacts, rpoHours: number, now: Date, futureToleranceHours = ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS): Protection {
  const scheduleKnown = facts.schedules !== null || facts.definitions !== null;
  const failure = [facts.backups, facts.schedules, facts.definitions].find((list): list is Error => list instanceof Error);
  if (failure) {
    return { rpoHours, scheduleKnown, status: 'UNKNOWN', reason: 'PROVIDER_FAILED', lastBackup: null, nextRunAt: null, scheduled: null, usableBackups: null, error: failure };
  }
  const definitions = facts.definitions as readonly BackupDefinition[] | null;
  const latestBelievable = now.getTime() + futureToleranceHours * HOUR_MS;
  if (!definitions?.some((definition) => definition.retention === null)) return judge(facts, rpoHours, now, latestBelievable, false);
  return retentionUnknownOr(judge(facts, rpoHours, now, latestBelievable, true), judge(facts, rpoHours, now, latestBelievable, false));
}

/**
 * A definition whose record gives no retention (the API requires one, so the
 * record is short; it read as 0) does run, but whether it keeps what it makes
 * is unknown: kept-all and kept-none are both judged. Where they agree, that
 * is the verdict (a backup years old is STALE either way), with the first's
 * schedule facts, since the definition does run. Where both are STALE for
 * different reasons (another disk scheduled, or nothing), the status is
 * certain and a backup is due either way, so a dashboard must show it as
 * STALE; neither reason can be vouched for, so the reason says so. Where the
 * statuses differ, nothing the gateway can vouch for: UNKNOWN
 * RETENTION_UNKNOWN, never PROTECTED.
 */
function retentionUnknownOr(keptAll: Protection, keptNone: Protection): Protection {
  if (keptAll.status === keptNone.status && keptAll.reason === keptNone.reason) return keptAll;
  if (keptAll.status === 'STALE' && keptNone.status === 'STALE') return { ...keptAll, reason: 'STALE_EITHER_RETENTION' };
  return { ...keptAll, status: 'UNKNOWN', reason: 'RETENTION_UNKNOWN' };
}

/**
 * The rule once every list is read; `latestBelievable`: the newest date that
 * can be true (now and the account's future tolerance); `unknownRetentionKeeps`:
 * how a definition without a retention is read.
 */
function judge(facts: ProtectionFacts, rpoHours: number, now: Date, latestBelievable: number, unknownRetentionKeeps: boolean): Protection {
  const scheduleKnown = facts.schedules !== null || facts.definitions !== null;
  const base = { rpoHours, scheduleKnown };
  const usable = (facts.backups as readonly Backup[]).filter(isUsable);
  const lastBackup = newest(usable, latestBelievable);
  const runs = scheduledRuns(facts.schedules as readonly BackupSchedule[] | null, facts.definitions as readonly BackupDefinition[] | null, now, unknownRetentionKeeps);
  const scheduled = scheduleKnown ? runs.count > 0 : null;
  const result = { ...base, lastBackup, nextRunAt: runs.next, scheduled, usableBackups: usable.length, error: null };
  if (!lastBackup) {
    if (scheduled === null) return { ...result, status: 'UNPROTECTED', reason: 'NO_BACKUP_SCHEDULE_NOT_LISTED' };
    return scheduled ? { ...result, status: 'STALE', reason: 'NO_BACKUP_YET' } : { ...result, status: 'UNPROTECTED', reason: 'NO_BACKUP_NOTHING_SCHEDULED' };
  }
  if (!lastBackup.createdAt) return { ...result, status: 'STALE', reason: 'BACKUP_AGE_UNKNOWN' };
  if (lastBackup.createdAt.getTime() > latestBelievable) return { ...result, status: 'STALE', reason: 'BACKUP_DATED_IN_FUTURE' };
  // A date up to the future tolerance ahead (clock skew) counts as recent. A date alone is aged from its day's end (madeByMs).
  if (now.getTime() - (madeByMs(lastBackup) as number) > rpoHours * HOUR_MS) return { ...result, status: 'STALE', reason: 'BACKUP_TOO_OLD' };
  if (scheduled === null) return { ...result, status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULE_NOT_LISTED' };
  if (!scheduled) return { ...result, status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED' };
  const sameDisk = runs.anyDisk || usable.some((backup) => isRecent(backup, rpoHours, now, latestBelievable) && (backup.diskId === null || runs.disks.has(backup.diskId)));
  return sameDisk ? { ...result, status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED' } : { ...result, status: 'STALE', reason: 'RECENT_BACKUP_OTHER_DISK_SCHEDULED' };
}

/**
 * A backup there to restore: AVAILABLE, or being restored from (RESTORING), which the restore
 * reads and leaves in place. Left out, an instance whose newest backup was under restore read
 * STALE (UNPROTECTED with no other) for the restore's length.
 */
const isUsable = (backup: Backup): boolean => backup.status === 'AVAILABLE' || backup.status === 'RESTORING';

/** Within the objective by a believable date (up to the future tolerance ahead). */
function isRecent(backup: Backup, rpoHours: number, now: Date, latestBelievable: number): boolean {
  if (!backup.createdAt) return false;
  return backup.createdAt.getTime() <= latestBelievable && now.getTime() - (madeByMs(backup) as number) <= rpoHours * HOUR_MS;
}

/** Below every Date's time (at most 8.64e15 ms either side of the epoch), above no date. */
const TOO_FAR_AHEAD_RANK = Number.MIN_SAFE_INTEGER;
const UNDATED_RANK = Number.NEGATIVE_INFINITY;

/**
 * The newest backup by a believable date; one dated too far ahead only when
 * none has a believable date, and an undated one only when none has a date.
 * Of equals, the first. So a wrong date never hides a true recent backup.
 */
function newest(backups: readonly Backup[], latestBelievable: number): Backup | null {
  let best: Backup | null = null;
  let bestRank = UNDATED_RANK;
  for (const backup of backups) {
    const rank = rankOf(backup, latestBelievable);
    if (!best || rank > bestRank) {
      best = backup;
      bestRank = rank;
    }
  }
  return best;
}

function rankOf(backup: Backup, latestBelievable: number): number {
  if (!backup.createdAt) return UNDATED_RANK;
  // Believable by the earliest it can have been made (a date alone's day may end hours ahead); ranked by the latest.
  return backup.createdAt.getTime() <= latestBelievable ? (madeByMs(backup) as number) : TOO_FAR_AHEAD_RANK;
}

/**
 * Definitions say what runs where the provider has them; schedules
 * elsewhere. An inactive definition runs nothing, and one keeping no backups
 * (retention 0) protects nothing either: Danube keeps at most `retention`
 * backups of a definition ("Maximum number of backups to keep"), so none
 * lasts. esdc-ce's serializer refuses it where a DC backup limit is set (1
 * to the limit), and the gateway's own input takes 1 or more.
 */
const keepsBackups = (definition: BackupDefinition, unknownRetentionKeeps: boolean): boolean =>
  definition.active && (definition.retention === null ? unknownRetentionKeeps : definition.retention > 0);

/**
 * What runs, and on which disks. Where the provider schedules per disk
 * (OnApp, Danube), a schedule of the data disk does nothing for the system
 * disk: a recent manual backup of one disk and a schedule of another read as
 * PROTECTED, though that backup is never renewed and the scheduled disk may
 * have none. `anyDisk`: some schedule names no disk (Zomro), so any backup counts.
 */
function scheduledRuns(
  schedules: readonly BackupSchedule[] | null,
  definitions: readonly BackupDefinition[] | null,
  now: Date,
  unknownRetentionKeeps: boolean,
): { count: number; next: Date | null; disks: Set<string>; anyDisk: boolean } {
  const crons = definitions !== null ? definitions.filter((definition) => keepsBackups(definition, unknownRetentionKeeps)).map((definition) => definition.schedule) : (schedules ?? []);
  let next: Date | null = null;
  let count = 0;
  const disks = new Set<string>();
  let anyDisk = false;
  for (const schedule of crons) {
    const at = nextRunOf(schedule, now);
    // A cron that never fires again schedules nothing.
    if (!at) continue;
    count++;
    if (schedule.diskId === undefined) anyDisk = true;
    else disks.add(schedule.diskId);
    if (!next || at < next) next = at;
  }
  return { count, next, disks, anyDisk };
}
