import type { Backup, BackupDefinition, BackupMode, BackupOrigin, BackupSchedule, BackupStatus, Compression, CronDialect, Instance, ScheduleRepeat } from '../domain/types.js';

/**
 * Whether a record read from the shared read cache carries every field this
 * version's resolvers read, each of its type. Replicas of two versions share
 * Redis during a rolling upgrade: a record written by one whose Backup had a
 * field fewer (or an enum value more) passed the list check (a list of
 * records of the account) and was served, and each such field failed with
 * INTERNAL_SERVER_ERROR, `backupId` throwing on a missing keyExtra; an
 * instance list without names answered the whole `instances` query with
 * `data: null`, for as long as the older replicas kept writing it.
 *
 * One check per field of each domain type, mapped from the type itself: a
 * field added to Backup without a check here does not compile.
 */
type Check = (value: unknown) => boolean;
type Fields<T> = { readonly [K in keyof T]-?: Check };

const isString: Check = (value) => typeof value === 'string';
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const isBoolean: Check = (value) => typeof value === 'boolean';
// An invalid Date is still one: the provider's answer read fresh would hold the same.
const isDate: Check = (value) => value instanceof Date;
const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isStrings: Check = (value) => Array.isArray(value) && value.every((item) => typeof item === 'string');
const orNull = (check: Check): Check => (value) => value === null || check(value);
/** A field a record may leave out (only some providers set it). */
const optional = (check: Check): Check => (value) => value === undefined || check(value);
/** Every value of a string union, written out as a record so a value added to the union must be added here. */
const oneOf = <T extends string>(values: Record<T, true>): Check => {
  const allowed: ReadonlySet<unknown> = new Set(Object.keys(values));
  return (value) => allowed.has(value);
};

const BACKUP_STATUS = oneOf<BackupStatus>({ PENDING: true, CREATING: true, AVAILABLE: true, RESTORING: true, DELETING: true, FAILED: true, UNKNOWN: true });
const BACKUP_ORIGIN = oneOf<BackupOrigin>({ MANUAL: true, SCHEDULED: true });
const BACKUP_MODE = oneOf<BackupMode>({ FULL: true, INCREMENTAL: true });
const COMPRESSION = oneOf<Compression>({ NONE: true, GZIP: true, BZIP2: true, XZ: true });

const INSTANCE: Fields<Instance> = { providerId: isString, nativeId: isString, name: isString, state: orNull(isString), raw: isRecord };

const BACKUP: Fields<Backup> = {
  providerId: isString,
  nativeId: isString,
  instanceNativeId: orNull(isString),
  keyExtra: isStrings,
  name: isString,
  status: BACKUP_STATUS,
  origin: orNull(BACKUP_ORIGIN),
  mode: orNull(BACKUP_MODE),
  createdAt: orNull(isDate),
  // Left out by older versions: their records are judged by the day's start, as they were.
  createdAtLatest: optional(isDate),
  sizeBytes: orNull(isNumber),
  protected: isBoolean,
  diskId: orNull(isString),
  minDiskBytes: orNull(isNumber),
  minRamBytes: orNull(isNumber),
  osDistro: orNull(isString),
  osVersion: orNull(isString),
  region: orNull(isString),
  note: orNull(isString),
  definitionName: orNull(isString),
  raw: isRecord,
};

const CRON_DIALECT = oneOf<CronDialect>({ vixie: true, celery: true });
const REPEAT_UNIT = oneOf<ScheduleRepeat['unit']>({ hours: true, days: true, weeks: true, months: true, years: true });
const REPEAT: Fields<ScheduleRepeat> = { fromMs: isNumber, every: (value) => Number.isSafeInteger(value) && (value as number) >= 1, unit: REPEAT_UNIT };
const isRepeat: Check = (value) => isRecord(value) && Object.entries(REPEAT).every(([field, check]) => check(value[field]));

const SCHEDULE: Fields<BackupSchedule> = {
  providerId: isString,
  nativeId: isString,
  instanceNativeId: orNull(isString),
  keyExtra: isStrings,
  name: isString,
  cron: isString,
  timezone: isString,
  repeat: optional(isRepeat),
  startsAtMs: optional(isNumber),
  // Required, though older versions left them out: see BackupSchedule.enabled.
  enabled: isBoolean,
  cronDialect: CRON_DIALECT,
  diskId: optional(isString),
  createdAt: orNull(isDate),
  raw: isRecord,
};

const isSchedule: Check = (value) => hasFields(value, SCHEDULE_FIELDS);

/**
 * A schedule in a mutation's recorded answer (an idempotency record) may be an older version's,
 * without `enabled` or `cronDialect`: replayed as it is, it reads as it did when it was answered,
 * and refusing it turned a retry across the upgrade into CONFLICT.
 */
const ANSWERED_SCHEDULE: Fields<BackupSchedule> = { ...SCHEDULE, enabled: optional(isBoolean), cronDialect: optional(CRON_DIALECT) };
const isAnsweredSchedule: Check = (value) => hasFields(value, ANSWERED_SCHEDULE_FIELDS);

const DEFINITION: Fields<BackupDefinition> = {
  providerId: isString,
  nativeId: isString,
  instanceNativeId: isString,
  keyExtra: isStrings,
  name: isString,
  diskId: isNumber,
  schedule: isSchedule,
  retention: orNull(isNumber),
  active: isBoolean,
  compression: orNull(COMPRESSION),
  bandwidthLimit: orNull(isNumber),
  description: orNull(isString),
  node: orNull(isString),
  zpool: orNull(isString),
  fsfreeze: orNull(isBoolean),
  raw: isRecord,
};

type FieldList = ReadonlyArray<readonly [string, Check]>;
/** As pairs: a list of 100,000 backups is checked in a loop over an array, not a `for in` per record. */
const pairs = (fields: Readonly<Record<string, Check>>): FieldList => Object.entries(fields);
const SCHEDULE_FIELDS = pairs(SCHEDULE);
const ANSWERED_SCHEDULE_FIELDS = pairs(ANSWERED_SCHEDULE);

const ANSWERED_DEFINITION: Fields<BackupDefinition> = { ...DEFINITION, schedule: isAnsweredSchedule };

/** The records of a mutation's recorded answer, by kind (see ANSWERED_SCHEDULE); others as cached. */
const ANSWERED_FIELDS_OF_KIND: ReadonlyMap<string, FieldList> = new Map([
  ['schedules', ANSWERED_SCHEDULE_FIELDS],
  ['definitions', pairs(ANSWERED_DEFINITION)],
]);

/** The cached lists by the kind their address names (see ReadCache). */
const FIELDS_OF_KIND: ReadonlyMap<string, FieldList> = new Map([
  ['instances', pairs(INSTANCE)],
  ['backups', pairs(BACKUP)],
  ['schedules', SCHEDULE_FIELDS],
  ['definitions', pairs(DEFINITION)],
]);

function hasFields(value: unknown, fields: FieldList): boolean {
  if (!isRecord(value)) return false;
  for (const [field, check] of fields) {
    if (!check(value[field])) return false;
  }
  return true;
}

/** Whether `record`, in a mutation's recorded answer, is one this version can answer as `kind`; a kind it does not know: false. */
export function isAnsweredRecord(record: unknown, kind: string): boolean {
  const fields = ANSWERED_FIELDS_OF_KIND.get(kind) ?? FIELDS_OF_KIND.get(kind);
  return fields !== undefined && hasFields(record, fields);
}

/** Whether `record` is one this version caches under `kind`; a kind it does not know: false. */
export function isCachedRecord(record: unknown, kind: string): boolean {
  const fields = FIELDS_OF_KIND.get(kind);
  return fields !== undefined && hasFields(record, fields);
}
