import type { Backup, BackupSchedule, BackupStatus, Instance } from '../../domain/types.js';
import { GIB, KIB, MIB, parseUtcDate, toBytes, toStringOrNull } from '../../domain/units.js';
import { publicRaw } from '../raw.js';
import { ONAPP_RAW_HIDDEN } from './secrets.js';

type Row = Record<string, unknown>;

export function mapInstance(providerId: string, row: Row): Instance {
  const nativeId = String(row.id ?? '');
  const state = toStringOrNull(row.state) ?? (row.booted === true ? 'booted' : row.booted === false ? 'shut down' : null);
  return { providerId, nativeId, name: toStringOrNull(row.label) ?? toStringOrNull(row.hostname) ?? nativeId, state, raw: row };
}

export function mapBackupStatus(row: Row): BackupStatus {
  if (row.marked_for_delete === true) return 'DELETING';
  if (row.built === true) return 'AVAILABLE';
  if (row.built === false) return 'CREATING';
  return 'UNKNOWN';
}

export function mapBackup(providerId: string, vmId: string, row: Row): Backup {
  const id = String(row.id ?? '');
  const initiated = toStringOrNull(row.initiated);
  const type = toStringOrNull(row.backup_type);
  return {
    providerId,
    nativeId: id,
    instanceNativeId: vmId,
    keyExtra: [],
    name: toStringOrNull(row.label) ?? toStringOrNull(row.identifier) ?? `backup-${id}`,
    status: mapBackupStatus(row),
    // "manual", or the period of the auto-backup schedule that made it (days, weeks, ...).
    origin: initiated === null ? null : initiated === 'manual' ? 'MANUAL' : 'SCHEDULED',
    mode: type === 'incremental' ? 'INCREMENTAL' : type === 'normal' ? 'FULL' : null,
    createdAt: parseUtcDate(row.created_at),
    sizeBytes: toBytes(row.backup_size, KIB),
    protected: row.locked === true,
    diskId: toStringOrNull(row.disk_id) ?? (row.target_type === 'Disk' ? toStringOrNull(row.target_id) : null),
    minDiskBytes: toBytes(row.min_disk_size, GIB),
    minRamBytes: toBytes(row.min_memory_size, MIB),
    osDistro: toStringOrNull(row.operating_system_distro),
    osVersion: toStringOrNull(row.operating_system),
    region: null,
    note: toStringOrNull(row.note),
    definitionName: null,
    raw: publicRaw(row, ONAPP_RAW_HIDDEN),
  };
}

/**
 * OnApp auto-backup schedules repeat every `duration` `period`s from
 * `start_at`; as cron (UTC): days -> every N days at that time, weeks -> that
 * weekday, months -> that day of the month, years -> that date.
 */
export function scheduleCron(row: Row): string {
  const start = parseUtcDate(row.start_at) ?? parseUtcDate(row.created_at) ?? new Date(0);
  const minute = start.getUTCMinutes();
  const hour = start.getUTCHours();
  const every = Math.max(1, Number(row.duration) || 1);
  switch (row.period) {
    case 'weeks':
      return `${minute} ${hour} * * ${start.getUTCDay()}`;
    case 'months':
      return `${minute} ${hour} ${start.getUTCDate()} ${every === 1 ? '*' : `*/${every}`} *`;
    case 'years':
      return `${minute} ${hour} ${start.getUTCDate()} ${start.getUTCMonth() + 1} *`;
    default:
      return `${minute} ${hour} ${every === 1 ? '*' : `*/${every}`} * *`;
  }
}

export function mapSchedule(providerId: string, vmId: string, diskId: string, row: Row): BackupSchedule {
  const id = String(row.id ?? '');
  return {
    providerId,
    nativeId: id,
    instanceNativeId: vmId,
    keyExtra: [diskId],
    name: `${String(row.action ?? 'autobackup')} every ${String(row.duration ?? 1)} ${String(row.period ?? 'days')}`,
    cron: scheduleCron(row),
    timezone: 'UTC',
    createdAt: parseUtcDate(row.created_at),
  };
}
