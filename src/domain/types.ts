/**
 * The gateway's domain model: plain TypeScript, no GraphQL and no wire formats.
 * Adapters map provider answers into these types; resolvers serve them.
 */

import type { ErrorCode } from './errors.js';

export const CAPABILITIES = [
  'LIST_INSTANCES',
  'LIST_BACKUPS',
  'CREATE_BACKUP',
  'DELETE_BACKUP',
  'RESTORE_BACKUP',
  'SYNC_BACKUPS',
  'LIST_SCHEDULES',
  'CREATE_SCHEDULE',
  'DELETE_SCHEDULE',
  'LIST_DEFINITIONS',
  'CREATE_DEFINITION',
  'UPDATE_DEFINITION',
  'DELETE_DEFINITION',
  'UPDATE_BACKUP_NOTE',
  'CANCEL_OPERATION',
  'NAME_BACKUP',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export type ProviderHealth = 'UP' | 'DEGRADED' | 'DOWN';
/** Why an account's health is not UP, as the API says it (Provider.healthCause): coarser than the log's and /readyz's cause. */
export type ProviderHealthCause = 'UNREACHABLE' | 'TIMEOUT' | 'SERVER_ERROR' | 'RATE_LIMITED' | 'REDIRECT' | 'CREDENTIALS_REFUSED' | 'OTHER';
export type BackupStatus = 'PENDING' | 'CREATING' | 'AVAILABLE' | 'RESTORING' | 'DELETING' | 'FAILED' | 'UNKNOWN';
export type BackupOrigin = 'MANUAL' | 'SCHEDULED';
export type BackupMode = 'FULL' | 'INCREMENTAL';
export type Compression = 'NONE' | 'GZIP' | 'BZIP2' | 'XZ';
export type OperationKind = 'CREATE_BACKUP' | 'DELETE_BACKUP' | 'RESTORE_BACKUP' | 'SYNC_BACKUPS';
export type OperationStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/**
 * How a provider's scheduler reads a cron that restricts both the day of
 * the month and the day of the week:
 *
 * - `vixie`: cron's own rule (Vixie cron, cronie; POSIX crontab): either day
 *   matches, unless one of the two fields starts with `*` (`*` itself,
 *   `*\/2`), which makes both needed. cron-parser instead takes either day
 *   whenever neither field is all days, so `0 4 *\/2 * 1` ran every Monday
 *   as well as every odd day.
 * - `celery`: Celery beat's crontab (celery/schedules.py, `_delta_to_next`
 *   and `remaining_delta`), which Danube runs its backup definitions on
 *   (esdc-ce keeps each schedule as a djcelery CrontabSchedule): both must
 *   match, whatever the fields. `0 4 13 * 5` runs on Friday the 13th only.
 *
 * Danube's API documents its schedule as "UTC CRON format", which reads as
 * the first; its scheduler does the second. The second's runs are a subset
 * of the first's, so reading Danube's crons by it never promises a run that
 * does not come (see BackupSchedule.cronDialect).
 */
export type CronDialect = 'vixie' | 'celery';

/** Sunday first, as cron and Zomro number them (Sunday = 0). */
export const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A JSON object as the provider sent it, with wire wrappers removed and secrets dropped. */
export type RawRecord = Record<string, unknown>;

/** What every entity owned by a provider account carries. */
export interface ProviderOwned {
  /** The provider account id from the config (e.g. "zomro-nl"). */
  providerId: string;
  /** The provider's own id of this entity. */
  nativeId: string;
}

export interface Instance extends ProviderOwned {
  name: string;
  state: string | null;
  /**
   * Extra native keys an adapter needs to act on this instance later
   * (e.g. ZStack's root volume uuid). Carried inside global ids of operations.
   * Shown to clients as `Instance.raw`, so mappers pass it through publicRaw.
   */
  raw: RawRecord;
}

export interface Backup extends ProviderOwned {
  /** Native id of the instance the backup belongs to; null when the provider does not say. */
  instanceNativeId: string | null;
  /**
   * Extra native keys needed to act on the backup besides instance and backup id
   * (e.g. Danube's disk id). Empty for most providers.
   */
  keyExtra: string[];
  name: string;
  status: BackupStatus;
  origin: BackupOrigin | null;
  mode: BackupMode | null;
  createdAt: Date | null;
  /**
   * Where the provider dates the backup by its day alone (Zomro's `createdate`,
   * "2024-07-23"), the last moment of that day in the account's zone; left out
   * where the date names its moment. `createdAt` is then the day's start, the
   * earliest it can have been made; this, the latest, is what its age is
   * judged by (backup-made-by.ts). Never shown to clients.
   */
  createdAtLatest?: Date;
  sizeBytes: number | null;
  protected: boolean;
  diskId: string | null;
  minDiskBytes: number | null;
  minRamBytes: number | null;
  osDistro: string | null;
  osVersion: string | null;
  region: string | null;
  note: string | null;
  /** Name of the backup definition that made it (Danube), else null. */
  definitionName: string | null;
  raw: RawRecord;
}

export interface BackupSchedule extends ProviderOwned {
  instanceNativeId: string | null;
  keyExtra: string[];
  name: string;
  /** Five-field cron, minute hour dom month dow, in `timezone`. */
  cron: string;
  timezone: string;
  /**
   * Where the schedule repeats every N units from a start, which no cron can
   * say (OnApp "every 2 days" from its start_at): then the runs come from
   * this, and `cron` is only the time of day and the day it shows.
   */
  repeat?: ScheduleRepeat;
  /**
   * When the schedule begins, where the provider names a start still able to
   * lie ahead (OnApp `start_at`): it runs nothing before it. Epoch
   * milliseconds, as ScheduleRepeat.fromMs. A cron says only the start's time
   * and day, so without this a schedule starting in three months showed its
   * next run tomorrow.
   */
  startsAtMs?: number;
  /**
   * False where the provider says the schedule is switched off (OnApp
   * `status` "disabled", or its disk's auto-backups off, or a
   * `rotation_period` keeping no backup; an inactive Danube definition): it
   * runs nothing, so it has no next run and protects nothing.
   *
   * This and cronDialect are always written, never left out for their usual
   * value: a schedule a replica of the version before cached has neither, and
   * read as "runs" and "vixie" a disabled OnApp schedule kept its instance
   * PROTECTED and a Celery cron ran days it never runs (cached-record-shape.ts
   * refuses such records).
   */
  enabled: boolean;
  /** How the provider's scheduler reads the cron's two day fields (see CronDialect): `vixie`, cron's own, but for Danube. */
  cronDialect: CronDialect;
  /** The disk it backs up, where the provider schedules per disk (OnApp schedules, Danube definitions); as Backup.diskId. */
  diskId?: string;
  createdAt: Date | null;
  /** The provider's record, secrets and hidden fields removed (publicRaw). */
  raw: RawRecord;
}

/** Runs at `fromMs` and every `every` `unit`s after it, on the wall clock of the schedule's timezone (hours: N hours of elapsed time). */
export interface ScheduleRepeat {
  /** Epoch milliseconds (a number, so it reads back the same from any cache). */
  fromMs: number;
  every: number;
  unit: 'hours' | 'days' | 'weeks' | 'months' | 'years';
}

export interface BackupDefinition extends ProviderOwned {
  instanceNativeId: string;
  keyExtra: string[];
  name: string;
  diskId: number;
  schedule: BackupSchedule;
  /** Most backups kept; null when the provider's record does not say (never read as 0). */
  retention: number | null;
  active: boolean;
  compression: Compression | null;
  bandwidthLimit: number | null;
  description: string | null;
  node: string | null;
  zpool: string | null;
  fsfreeze: boolean | null;
  /** The provider's record, secrets and hidden fields removed (publicRaw). */
  raw: RawRecord;
}

/**
 * A reference to a running or finished piece of provider work. It holds
 * everything needed to ask the provider again, so an operation id needs no
 * server-side state: the global id is this reference, encoded.
 */
export interface OperationRef {
  providerId: string;
  kind: OperationKind;
  startedAt: Date;
  instanceNativeId: string | null;
  backupNativeId: string | null;
  /** Adapter-specific keys: a job uuid, a task id, a backup name, a disk id... */
  token: string[];
}

export interface Operation extends OperationRef {
  status: OperationStatus;
  finishedAt: Date | null;
  error: string | null;
  /** The provider's own id of the job or task, where it has one. */
  providerOperationId: string | null;
  /** Native key of the backup involved, where known, so the payload can show it. */
  backupKeyExtra?: string[];
  /**
   * The instance whose list holds the backup now, where it is not `instanceNativeId`: a Danube
   * VM renamed during a create lists the create's backup under its new hostname, which the
   * operation id (keeping the hostname the create was sent to) cannot follow.
   */
  backupInstanceNativeId?: string;
  /** Why a FAILED operation failed, as a code, where the adapter can tell (Operation.errorCode). */
  errorCode?: ErrorCode;
  /** The provider's own code for the failure, where it gave one. */
  providerErrorCode?: string;
  /**
   * SUCCEEDED only because what it acted on is no longer listed (a delete's backup), no job or task
   * of the provider confirming it: an id anyone writes naming a VM and any backup not listed reads
   * so. The gateway answers it only for an operation it recorded starting (request-reads.ts).
   */
  succeededByAbsence?: true;
  /**
   * Read from a job or task the provider still answers whose answer does not say it is this
   * operation (every ZStack or Danube operation of any kind so read: neither a running job or
   * task, nor a finished delete's, sync's or revert's, names the VM, backup or store it acted on,
   * and a create's result is any create's on the VM), while the id naming it is anyone's to write
   * around another operation's job or task. The gateway answers it only for an operation it recorded starting
   * (request-reads.ts).
   */
  jobUnconfirmed?: true;
  /**
   * Read where nothing the provider answers shows the work was ever asked for: a Zomro or OnApp
   * delete whose backup is still listed (RUNNING, or FAILED past its give-up time), an OnApp
   * restore with no transaction listed for its backup (PENDING, or FAILED past 30 minutes), an OnApp
   * create whose backup is not listed (PENDING, or FAILED past 30 minutes). An id
   * anyone writes naming a listed backup read so, and the answer showed that backup DELETING. The
   * gateway answers it only for an operation it recorded starting (request-reads.ts).
   */
  noTraceAtProvider?: true;
  /**
   * The id a read was asked by (`operation(id:)`, `node`, `_entities`, a subscription): answered
   * as the operation's id. An id encodes what was known when the work began, and a create's
   * backup, named later, would otherwise make the same operation answer a second id, which
   * breaks `node(id).id == id` and a client cache keyed by id.
   */
  askedId?: string;
}

/** The identity of an entity inside one provider account. */
export interface InstanceRef {
  nativeId: string;
}

export interface BackupRef {
  instanceNativeId: string | null;
  nativeId: string;
  keyExtra: string[];
}

export interface ScheduleRef {
  instanceNativeId: string | null;
  nativeId: string;
  keyExtra: string[];
}

export interface DefinitionRef {
  instanceNativeId: string;
  nativeId: string;
  keyExtra: string[];
}

export interface CreateBackupRequest {
  instance: Instance;
  name: string;
  diskId: number | null;
  definitionName: string | null;
  note: string | null;
}

export interface RestoreBackupRequest {
  backup: Backup;
  target: Instance;
  targetDiskId: number | null;
  force: boolean;
}

export interface CreateScheduleRequest {
  instance: Instance;
  name: string;
  weekdays: Weekday[];
  /** "HH:MM", 24 h. */
  time: string;
}

export interface CreateDefinitionRequest {
  instance: Instance;
  name: string;
  diskId: number;
  cron: string;
  retention: number;
  node: string | null;
  zpool: string | null;
  active: boolean;
  compression: Compression;
  bandwidthLimit: number | null;
  description: string | null;
  fsfreeze: boolean;
}

export interface UpdateDefinitionRequest {
  definition: BackupDefinition;
  cron?: string;
  retention?: number;
  active?: boolean;
  compression?: Compression;
  bandwidthLimit?: number | null;
  description?: string | null;
}
