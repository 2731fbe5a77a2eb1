import { describe, expect, it } from 'vitest';
import { errorMessage, unwrapRecords } from '../../src/providers/onapp/client.js';
import { mapBackup, mapBackupStatus, mapInstance, mapSchedule, mapVmSchedule, scheduleCron, vmOfBackup } from '../../src/providers/onapp/mapper.js';

/** The JSON sample of GET /virtual_machines/:id/backups/images.json in OnApp's docs (an incremental VM backup). */
const DOC_JSON_BACKUP = {
  allow_resize_without_reboot: true,
  allowed_hot_migrate: true,
  allowed_swap: true,
  backup_server_id: 1,
  backup_size: 930584,
  built: true,
  built_at: '2015-08-13T02:00:49+00:00',
  created_at: '2015-08-13T01:59:20+00:00',
  data_store_type: 'lvm',
  id: 6117,
  identifier: 'lx6gqklzwedsvy',
  initiated: 'manual',
  iqn: null,
  locked: false,
  marked_for_delete: false,
  min_disk_size: 5,
  min_memory_size: 384,
  note: null,
  operating_system: 'linux',
  operating_system_distro: 'rhel',
  target_id: 488,
  target_type: 'VirtualMachine',
  template_id: 128,
  updated_at: '2015-08-13T02:01:38+00:00',
  user_id: 337,
  volume_id: null,
  backup_type: 'incremental',
  disk_id: null,
};

/** The XML sample of the same docs page, as JSON: a normal disk backup made by a daily auto-backup, dated +03:00. */
const DOC_XML_BACKUP = {
  backup_size: 310896,
  built: true,
  built_at: '2013-12-24T14:34:06+03:00',
  created_at: '2013-12-24T14:31:20+03:00',
  id: 1951,
  identifier: 'uml64qyvbzv1kb',
  initiated: 'days',
  locked: false,
  marked_for_delete: false,
  min_disk_size: 5,
  min_memory_size: 128,
  note: null,
  operating_system: 'linux',
  operating_system_distro: 'ubuntu',
  target_id: 11860,
  target_type: 'Disk',
  backup_type: 'normal',
  disk_id: 11860,
};

describe('onapp mapper: backups', () => {
  it("reads the VM an incremental backup names (target_id, a number, as the VM id's text), and none from a disk's backup", () => {
    expect(vmOfBackup(DOC_JSON_BACKUP, 'flex')).toBe('488');
    expect(vmOfBackup({ ...DOC_JSON_BACKUP, target_id: '488' }, 'flex')).toBe('488');
    expect(vmOfBackup(DOC_XML_BACKUP, 'flex')).toBeNull();
    expect(vmOfBackup({ ...DOC_JSON_BACKUP, target_id: null }, 'flex')).toBeNull();
    // The backup is the VM's it names, whichever VM's list it came in (the adapter drops it there).
    expect(mapBackup('flex', '500', DOC_JSON_BACKUP).instanceNativeId).toBe('488');
    expect(mapBackup('flex', '500', DOC_XML_BACKUP).instanceNativeId).toBe('500');
  });

  it('maps the documented JSON sample: kB, GB and MB to bytes, manual and incremental', () => {
    const backup = mapBackup('flex', '488', DOC_JSON_BACKUP);
    expect(backup).toMatchObject({
      providerId: 'flex',
      nativeId: '6117',
      instanceNativeId: '488',
      keyExtra: [],
      status: 'AVAILABLE',
      origin: 'MANUAL',
      mode: 'INCREMENTAL',
      sizeBytes: 930584 * 1024,
      minDiskBytes: 5 * 2 ** 30,
      minRamBytes: 384 * 2 ** 20,
      protected: false,
      osDistro: 'rhel',
      note: null,
      definitionName: null,
    });
    expect(backup.createdAt?.toISOString()).toBe('2015-08-13T01:59:20.000Z');
    // An incremental backup targets the VM, not a disk: no disk id to report.
    expect(backup.diskId).toBeNull();
    // raw is the record as OnApp sent it, less the storage target's iSCSI name.
    const { iqn: _iqn, ...shown } = DOC_JSON_BACKUP;
    expect(backup.raw).toEqual(shown);
    expect('iqn' in backup.raw).toBe(false);
  });

  it('maps the documented XML sample: an auto-backup period means SCHEDULED, the +03:00 date becomes UTC', () => {
    const backup = mapBackup('flex', '77', DOC_XML_BACKUP);
    expect(backup).toMatchObject({ origin: 'SCHEDULED', mode: 'FULL', diskId: '11860', sizeBytes: 310896 * 1024, minRamBytes: 128 * 2 ** 20 });
    expect(backup.createdAt?.toISOString()).toBe('2013-12-24T11:31:20.000Z');
  });

  it('reads the disk from target_id when a disk backup lacks disk_id', () => {
    const { disk_id: _omitted, ...withoutDiskId } = DOC_XML_BACKUP;
    expect(mapBackup('flex', '77', withoutDiskId).diskId).toBe('11860');
  });

  it.each(['weeks', 'months', 'years'])('reads initiated=%s as SCHEDULED', (period) => {
    expect(mapBackup('flex', '1', { ...DOC_JSON_BACKUP, initiated: period }).origin).toBe('SCHEDULED');
  });

  it('reads locked as the VM\'s lock ("the storage server backed up has been locked"), not as delete protection', () => {
    const backup = mapBackup('flex', '1', { ...DOC_JSON_BACKUP, locked: true, note: 'before upgrade' });
    expect(backup).toMatchObject({ protected: false, note: 'before upgrade', osVersion: null, osDistro: 'rhel' });
    expect(backup.raw).toMatchObject({ locked: true, operating_system: 'linux' });
  });

  it('maps built and marked_for_delete to a status, marked_for_delete first', () => {
    expect(mapBackupStatus({ built: true })).toBe('AVAILABLE');
    expect(mapBackupStatus({ built: false })).toBe('CREATING');
    expect(mapBackupStatus({ built: true, marked_for_delete: true })).toBe('DELETING');
    expect(mapBackupStatus({ built: false, marked_for_delete: true })).toBe('DELETING');
    expect(mapBackupStatus({})).toBe('UNKNOWN');
  });

  it('tolerates missing, empty, string and nonsense fields', () => {
    const backup = mapBackup('flex', '1', { id: 9, backup_size: '2048', min_disk_size: null, min_memory_size: -1, created_at: 'soon', backup_type: 'differential', initiated: null });
    expect(backup).toMatchObject({
      nativeId: '9',
      name: 'backup-9',
      sizeBytes: 2048 * 1024,
      minDiskBytes: null,
      minRamBytes: null,
      createdAt: null,
      mode: null,
      origin: null,
      status: 'UNKNOWN',
      protected: false,
      diskId: null,
    });
  });

  it('names a backup by its label, else its id: identifier is the disk\'s, shared by all its backups', () => {
    expect(mapBackup('flex', '1', { ...DOC_JSON_BACKUP, label: 'nightly' }).name).toBe('nightly');
    expect(mapBackup('flex', '1', DOC_JSON_BACKUP).name).toBe('backup-6117');
  });
});

describe('onapp mapper: instances', () => {
  it('names a VM by label, then hostname, then id, and reads booted as its state', () => {
    expect(mapInstance('flex', { id: 488, label: 'web-1', hostname: 'web', booted: true })).toMatchObject({ nativeId: '488', name: 'web-1', state: 'booted' });
    expect(mapInstance('flex', { id: 489, hostname: 'db', booted: false })).toMatchObject({ name: 'db', state: 'shut down' });
    expect(mapInstance('flex', { id: 490 })).toMatchObject({ name: '490', state: null });
  });
});

describe('onapp mapper: schedules', () => {
  it('turns every-N-days schedules into daily cron at the start time in UTC', () => {
    expect(scheduleCron({ period: 'days', duration: 1, start_at: '2024-01-01T03:30:00Z' }, 'UTC')).toBe('30 3 * * *');
    expect(scheduleCron({ period: 'days', duration: 2, start_at: '2024-01-01T03:30:00Z' }, 'UTC')).toBe('30 3 */2 * *');
    expect(scheduleCron({ period: 'days', duration: 1, start_at: '2024-01-01T05:30:00+02:00' }, 'UTC')).toBe('30 3 * * *');
  });

  it('runs weekly schedules on the start day, monthly on its date, yearly on its date and month', () => {
    // 2024-01-03 is a Wednesday.
    expect(scheduleCron({ period: 'weeks', duration: 1, start_at: '2024-01-03T22:05:00Z' }, 'UTC')).toBe('5 22 * * 3');
    expect(scheduleCron({ period: 'months', duration: 1, start_at: '2024-01-03T22:05:00Z' }, 'UTC')).toBe('5 22 3 * *');
    expect(scheduleCron({ period: 'months', duration: 3, start_at: '2024-01-03T22:05:00Z' }, 'UTC')).toBe('5 22 3 */3 *');
    expect(scheduleCron({ period: 'years', duration: 1, start_at: '2024-07-03T22:05:00Z' }, 'UTC')).toBe('5 22 3 7 *');
  });

  it("expresses the start in the account's time zone (the schema's word), not UTC", () => {
    expect(scheduleCron({ period: 'days', duration: 1, start_at: '2024-01-01T03:30:00Z' }, 'Europe/Amsterdam')).toBe('30 4 * * *');
    expect(scheduleCron({ period: 'weeks', duration: 1, start_at: '2024-01-06T23:30:00Z' }, 'Europe/Amsterdam')).toBe('30 0 * * 0');
  });

  // UTC is read from the Date's own fields, not through Intl (a speed change): the same cron as a zone Intl reads as UTC.
  it('writes the same cron in UTC as Intl does for a zone of offset zero, at the edges of days, months, leap years and the date window', () => {
    const starts = ['1970-01-01T00:00:00Z', '1999-12-31T23:59:00Z', '2024-02-29T00:00:00Z', '2024-12-31T23:59:00Z', '2025-03-30T01:30:00Z', '2025-10-26T02:15:00Z', '9999-12-31T23:59:00Z'];
    for (const start_at of starts) {
      for (const period of ['hours', 'days', 'weeks', 'months', 'years']) {
        const row = { period, duration: period === 'hours' ? 6 : 1, start_at };
        expect(scheduleCron(row, 'UTC'), `${period} from ${start_at}`).toBe(scheduleCron(row, 'Etc/GMT'));
        expect(scheduleCron(row, 'Etc/UTC'), `${period} from ${start_at}`).toBe(scheduleCron(row, 'Etc/GMT'));
      }
    }
    // No date at all: the epoch, as before.
    expect(scheduleCron({ period: 'weeks', duration: 1 }, 'UTC')).toBe('0 0 * * 4');
  });

  it('falls back to created_at when start_at is missing', () => {
    expect(scheduleCron({ period: 'days', duration: 1, created_at: '2024-02-01T12:45:00Z' }, 'UTC')).toBe('45 12 * * *');
  });

  it('keeps the disk in keyExtra and reports UTC', () => {
    const schedule = mapSchedule('flex', '488', '11860', { id: 31, action: 'autobackup', duration: 1, period: 'weeks', start_at: '2024-01-01T03:30:00Z', created_at: '2024-01-01T00:00:00Z' }, 'UTC');
    expect(schedule).toMatchObject({ nativeId: '31', instanceNativeId: '488', keyExtra: ['11860'], cron: '30 3 * * 1', timezone: 'UTC', name: 'autobackup every 1 weeks' });
    expect(schedule.createdAt?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it("reads a VM-level schedule as a disk's, naming no disk: no disk key, so its id is never a disk schedule's", () => {
    const row = { id: 31, action: 'autobackup', duration: 1, period: 'weeks', target_type: 'VirtualMachine', target_id: 488, start_at: '2024-01-01T03:30:00Z', created_at: '2024-01-01T00:00:00Z' };
    const schedule = mapVmSchedule('flex', '488', row, 'UTC');
    const { keyExtra: _disk, diskId: _diskId, ...alike } = mapSchedule('flex', '488', '11860', row, 'UTC');
    expect(schedule).toEqual({ ...alike, keyExtra: [] });
    // Written as undefined (one shape for every schedule: src/domain/schedule-record.ts), so no store or resolver sees a disk.
    expect(schedule.diskId).toBeUndefined();
    expect(JSON.parse(JSON.stringify(schedule))).not.toHaveProperty('diskId');
    expect(mapVmSchedule('flex', '488', { ...row, status: 'disabled' }, 'UTC').enabled).toBe(false);
  });
});

describe('onapp client: wire helpers', () => {
  it('unwraps records wrapped by type, singly or in a list', () => {
    expect(unwrapRecords([{ backup: { id: 1 } }, { backup: { id: 2 } }], 'backup')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(unwrapRecords({ backup: { id: 3 } }, 'backup')).toEqual([{ id: 3 }]);
    expect(unwrapRecords([], 'backup')).toEqual([]);
    expect(unwrapRecords(null, 'backup')).toEqual([]);
    expect(unwrapRecords([null, 7, 'x', { backup: { id: 4 } }], 'backup')).toEqual([{ id: 4 }]);
  });

  it('reads the message of each of the three 422 shapes', () => {
    expect(errorMessage({ errors: { base: ['Virtual server is locked'], disk: ['is swap', 'is busy'] } })).toBe('base Virtual server is locked; disk is swap, is busy');
    expect(errorMessage({ errors: ['Backup is not built yet', 'Try later'] })).toBe('Backup is not built yet; Try later');
    expect(errorMessage({ error: 'Backup is locked and cannot be deleted' })).toBe('Backup is locked and cannot be deleted');
  });

  it('falls back to a fixed message for bodies it cannot read, and keeps messages short and on one line', () => {
    expect(errorMessage(null)).toBe('the provider refused the request');
    expect(errorMessage('<html>oops</html>')).toBe('the provider refused the request');
    expect(errorMessage({ errors: '  two\nlines  ' })).toBe('two lines');
    // Cut to 300 by scrubbedError, after its scrub (test/unit/scrubbed-error.test.ts); bounded here.
    expect(errorMessage({ error: 'x'.repeat(100_000) }).length).toBe(2_000);
  });
});

describe('onapp mapper: schedule names', () => {
  it('say the action and the period, defaulting to an auto-backup every day', () => {
    expect(mapSchedule('flex', '488', '11860', { id: 31, action: 'snapshot', duration: 2, period: 'weeks' }, 'UTC').name).toBe('snapshot every 2 weeks');
    expect(mapSchedule('flex', '488', '11860', { id: 31 }, 'UTC').name).toBe('autobackup every 1 days');
  });
});
