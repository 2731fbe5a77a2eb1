import type { Backup, BackupDefinition, BackupSchedule, BackupStatus, Compression, Instance } from '../../domain/types.js';
import { parseUtcDate } from '../../domain/provider-dates.js';
import { scheduleRecord } from '../../domain/schedule-record.js';
import { toBytes, toNumber, toStringOrNull } from '../../domain/units.js';
import { GatewayError } from '../../domain/errors.js';
import { idText } from '../native-id.js';
import { backupRowVm } from './backup-row-vm.js';
import { withPublicRaw } from '../raw.js';
import { DANUBE_RAW_HIDDEN } from './secrets.js';
import { activeFlag } from './active-flag.js';

type Row = Record<string, unknown>;

export const COMPRESSIONS: readonly Compression[] = ['NONE', 'GZIP', 'BZIP2', 'XZ'];

/**
 * "`status` is an integer: 1 ok, 2 pending, 3 restore, 4 lost". Pending is
 * not only a create: Danube sets it for a delete too, so it reads PENDING.
 */
const STATUS: Record<number, BackupStatus> = { 1: 'AVAILABLE', 2: 'PENDING', 3: 'RESTORING', 4: 'FAILED' };

/** The largest GraphQL `Int` (32 bits, signed): a definition's disk and retention are `Int!`. */
const GRAPHQL_INT_MAX = 2_147_483_647;

/**
 * A record's disk (1 when unnamed). Disk ids are part of backup and
 * definition ids, so one that is not an exact integer makes the answer invalid.
 */
function diskNumber(row: Row, providerId: string): number {
  return wholeNumber(row.disk_id, 1, GRAPHQL_INT_MAX, 'a disk id that cannot be read exactly', providerId);
}

/**
 * A whole number from 0 to `max`; `missing` when absent. Anything else makes
 * the answer invalid: written into an `Int` or `SafeInt` field, a fraction
 * or a number past the field's range answered INTERNAL_SERVER_ERROR, and no
 * guessed number (a null bandwidth limit reads "no limit") is safer.
 */
function wholeNumber<Missing extends number | null>(value: unknown, missing: Missing, max: number, what: string, providerId: string): number | Missing {
  if (value === undefined || value === null || value === '') return missing;
  const number = toNumber(value);
  if (number !== null && Number.isInteger(number) && number >= 0 && number <= max) return number;
  throw new GatewayError('PROVIDER_ERROR', `provider ${providerId} sent ${what}`, { provider: providerId, providerCode: 'INVALID_RESPONSE' });
}

/**
 * A definition's `schedule`, cron text; "" when Danube sends none. esdc-ce reads a definition's
 * schedule from its Celery periodic task's crontab and sends null when it has none, and then
 * nothing runs the definition: it was shown as "0 0 * * *", daily at midnight, and counted as
 * scheduled. "" is a cron the gateway cannot read: no weekdays, time or next run, and it
 * schedules nothing. Anything but text makes the answer invalid: `String()` of a list nested deep
 * overflowed the stack, and a guessed schedule would show backups running when they do not.
 */
function cronText(value: unknown, providerId: string): string {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value === 'string') return value;
  throw new GatewayError('PROVIDER_ERROR', `provider ${providerId} sent a schedule that is no cron text`, { provider: providerId, providerCode: 'INVALID_RESPONSE' });
}

export function mapInstance(providerId: string, row: Row): Instance {
  const nativeId = idText(row.hostname, providerId);
  return withPublicRaw({ providerId, nativeId, name: toStringOrNull(row.alias) ?? nativeId, state: toStringOrNull(row.status) }, row, DANUBE_RAW_HIDDEN);
}

/** `vmAskedFor`: the VM whose list the row came from; the row's VM is read by backupRowVm. */
export function mapBackup(providerId: string, vmAskedFor: string, row: Row): Backup {
  const diskId = String(diskNumber(row, providerId));
  const name = idText(row.name, providerId);
  return withPublicRaw(
    {
      providerId,
      nativeId: name,
      instanceNativeId: backupRowVm(row, vmAskedFor, providerId),
      keyExtra: [diskId],
      name,
      status: STATUS[toNumber(row.status) ?? 0] ?? 'UNKNOWN',
      // Every Danube backup is made by running a definition (POST /vm/{h}/backup/{bkpdef}), on its
      // schedule or on request, and Danube records which definition, not who ran it: SCHEDULED is
      // the schema's "a schedule or a backup definition". `define` is null once the definition is
      // deleted (esdc-ce Backup.define: null=True, on_delete SET_NULL): still a definition's backup,
      // but which way it was started is not known, so no origin (it read MANUAL).
      origin: toStringOrNull(row.define) ? 'SCHEDULED' : null,
      // Danube's documents give no full/incremental field: a backup's `type` (its definition's
      // "Backup type (1 - dataset, 2 - file)") is how it is stored, kept in `raw`. Each backup is
      // restored by its name alone and a definition's retention deletes its oldest backups ("Maximum
      // number of backups to keep"), so none needs an earlier one to restore. Confirmed in esdc-ce's
      // source (api/vm/backup/utils.py, get_backup_cmd): a restore names one backup and nothing else
      // (`esbackup ds-restore -s <its path>`, `file-restore -f <its file> -c <its checksum>`), a file
      // backup is one whole `zfs send` into its own file, and a dataset backup a snapshot of the backup
      // node's copy of the disk (sent incrementally, held whole: deleting an older one leaves it
      // restorable). FULL ("All the data", the schema) for both types.
      mode: 'FULL',
      createdAt: parseUtcDate(row.created),
      // Only Zomro dates a backup by its day alone; written here so every Backup has one shape (domain-record-shapes).
      createdAtLatest: undefined,
      // Bytes: a whole, non-negative, safe number, or none (`SafeInt` refuses the rest).
      sizeBytes: toBytes(row.size, 1),
      protected: false,
      diskId,
      minDiskBytes: null,
      minRamBytes: null,
      osDistro: null,
      osVersion: null,
      region: toStringOrNull(row.node),
      note: toStringOrNull(row.note),
      definitionName: toStringOrNull(row.define),
    },
    row,
    DANUBE_RAW_HIDDEN,
  );
}

export function mapDefinition(providerId: string, row: Row): BackupDefinition {
  const hostname = idText(row.hostname, providerId);
  const name = idText(row.name, providerId);
  const diskId = diskNumber(row, providerId);
  const active = activeFlag(row.active, providerId);
  const schedule: BackupSchedule = withPublicRaw(
    scheduleRecord({
      providerId,
      nativeId: name,
      instanceNativeId: hostname,
      keyExtra: [String(diskId)],
      name,
      // UTC: the API documents "Schedule in UTC CRON format", and esdc-ce runs definitions on Celery
      // beat with CELERY_TIMEZONE 'Etc/UTC' (core/celery/config.py); a definition has no zone field.
      cron: cronText(row.schedule, providerId),
      timezone: 'UTC',
      cronDialect: 'celery',
      // An inactive definition's schedule runs nothing: no next run (it showed one).
      enabled: active,
      diskId: String(diskId),
      createdAt: parseUtcDate(row.created),
    }),
    row,
    DANUBE_RAW_HIDDEN,
  );
  return withPublicRaw(
    {
      providerId,
      nativeId: name,
      instanceNativeId: hostname,
      keyExtra: [String(diskId)],
      name,
      diskId,
      schedule,
      // "data.retention (integer) – required - Maximum number of backups to keep" (API docs; esdc-ce's
      // model field is never null): a record without one does not say, so none is guessed. Read as 0
      // it said the definition keeps nothing, and protection left it out for that wrong reason.
      retention: wholeNumber(row.retention, null, GRAPHQL_INT_MAX, 'a retention that is no count', providerId),
      active,
      // Null where the record does not say (the schema's "null where the provider's record does not
      // say"): the API docs' list and create examples carry no `compression`, and their default of 0
      // is a create's, not a fact about a definition made with gzip. Read as NONE, it was said wrong.
      compression: row.compression === undefined || row.compression === null ? null : (COMPRESSIONS[toNumber(row.compression) ?? -1] ?? null),
      bandwidthLimit: wholeNumber(row.bwlimit, null, Number.MAX_SAFE_INTEGER, 'a bandwidth limit that is no whole number', providerId),
      description: toStringOrNull(row.desc),
      node: toStringOrNull(row.node),
      zpool: toStringOrNull(row.zpool),
      fsfreeze: typeof row.fsfreeze === 'boolean' ? row.fsfreeze : null,
    },
    row,
    DANUBE_RAW_HIDDEN,
  );
}
