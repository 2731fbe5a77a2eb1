import { describe, expect, it } from 'vitest';
import { GIB, MIB } from '../../src/domain/units.js';
import { restoreProgress } from '../../src/providers/zomro/adapter.js';
import { zomroInstanceStatus } from '../../src/providers/zomro/instance-status.js';
import { imageSizeBytes, instanceStateWord, mapBackup, mapBackupStatus, mapInstance, mapSchedule, parseRotationDays, rotationDaysParam } from '../../src/providers/zomro/mapper.js';

describe('zomro mapper: backups', () => {
  it('maps every Glance image status as Zomro spells it, in any case', () => {
    const expected = {
      queued: 'PENDING',
      saving: 'CREATING',
      active: 'AVAILABLE',
      pending_delete: 'DELETING',
      deleting: 'DELETING',
      killed: 'FAILED',
      error: 'FAILED',
      suspended: 'FAILED',
      // Glance's words while an image's data is still arriving (91cae03).
      uploading: 'CREATING',
      importing: 'CREATING',
    };
    for (const [word, status] of Object.entries(expected)) {
      expect(mapBackupStatus(word), word).toBe(status);
      expect(mapBackupStatus(` ${word.toUpperCase()} `), word).toBe(status);
    }
    for (const word of ['', 'constructor', 42, null, undefined]) expect(mapBackupStatus(word), String(word)).toBe('UNKNOWN');
  });

  it('maps a full record: sizes in GB and MB to bytes, dates as UTC, protection, OS and region', () => {
    const backup = mapBackup('zomro-nl', 'vm-from-url', {
      id: 77,
      instances_id: '12',
      name: 'before-upgrade',
      fleio_status: 'active',
      backup_type: 'manual',
      createdate: '2024-07-23 10:20:30',
      image_size: '3',
      protected: 'on',
      min_disk: '20',
      min_ram: 512,
      os_distro: 'ubuntu',
      os_version: '22.04',
      region: 'nl-ams',
      tparams: 'auth=secret-token',
    });
    expect(backup).toEqual({
      providerId: 'zomro-nl',
      nativeId: '77',
      instanceNativeId: '12',
      keyExtra: [],
      name: 'before-upgrade',
      status: 'AVAILABLE',
      origin: 'MANUAL',
      mode: null,
      createdAt: new Date('2024-07-23T10:20:30Z'),
      sizeBytes: 3 * GIB,
      protected: true,
      diskId: null,
      minDiskBytes: 20 * GIB,
      minRamBytes: 512 * MIB,
      osDistro: 'ubuntu',
      osVersion: '22.04',
      region: 'nl-ams',
      note: null,
      definitionName: null,
      raw: expect.not.objectContaining({ tparams: expect.anything() }),
    });
    expect(backup.raw).toMatchObject({ id: 77, name: 'before-upgrade' });
  });

  it('fills gaps: the instance from the request, the name from the id, created for createdate, unprotected', () => {
    const backup = mapBackup('z', 'vm-9', { id: 5, created: '2024-01-02', protected: 'off' });
    expect(backup).toMatchObject({ instanceNativeId: 'vm-9', name: '5', createdAt: new Date('2024-01-02T00:00:00Z'), protected: false, status: 'UNKNOWN', origin: null, sizeBytes: null });
    expect(mapBackup('z', 'vm-9', { id: 6 })).toMatchObject({ nativeId: '6', name: '6', createdAt: null, minDiskBytes: null, minRamBytes: null, osDistro: null, region: null });
    expect(mapBackup('z', 'vm-9', { id: 5, protected: true }).protected).toBe(false);
  });

  it('reads the origin: manual, or a schedule in any of its spellings', () => {
    const origin = (word: unknown) => mapBackup('z', 'vm', { id: 1, backup_type: word }).origin;
    expect(origin('manual')).toBe('MANUAL');
    expect(origin('MANUAL')).toBe('MANUAL');
    // The backup document's description: "How the backup was created: Manually or on schedule".
    for (const word of ['manually', ' Manually ', ' manual']) expect(origin(word), word).toBe('MANUAL');
    for (const word of ['scheduled', 'schedule', 'Scheduled', 'auto', 'automatic', 'AUTO', 'on schedule', 'On  Schedule', 'by schedule', ' scheduled ']) expect(origin(word), word).toBe('SCHEDULED');
    for (const word of ['', 'nightly', 'manuals', 'autom', 'schedu', 'on', 'on auto schedule', 'in schedule', 7]) expect(origin(word), String(word)).toBeNull();
  });

  it('reads image_size as GB below 2^20 and as bytes from 2^20 up', () => {
    expect(imageSizeBytes('3')).toBe(3 * GIB);
    expect(imageSizeBytes(2.5)).toBe(2.5 * GIB);
    expect(imageSizeBytes(0)).toBe(0);
    expect(imageSizeBytes(2 ** 20 - 1)).toBe((2 ** 20 - 1) * GIB);
    expect(imageSizeBytes(2 ** 20)).toBe(2 ** 20);
    expect(imageSizeBytes('3221225472.4')).toBe(3221225472);
    for (const value of ['', '  ', 'big', -1, Number.NaN, null, undefined, {}]) expect(imageSizeBytes(value), String(value)).toBeNull();
    // Text that reads as an infinite number is no size (at 2^20 and up it was rounded as bytes: Infinity).
    for (const value of ['1e400', 'Infinity', Number.POSITIVE_INFINITY]) expect(imageSizeBytes(value), String(value)).toBeNull();
    // Finite but past 2^53: no exact count of bytes, and the SafeInt field refused it as an internal error.
    expect(imageSizeBytes(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    for (const value of [2 ** 53, 1e308, '9007199254740993', '1e300']) expect(imageSizeBytes(value), String(value)).toBeNull();
  });
});

describe('zomro mapper: instances', () => {
  it('names an instance by servername, then name, then id, and keeps its status word', () => {
    expect(mapInstance('z', { id: 3, servername: 'web3', name: 'vps-3', instance_status: 'active' })).toEqual({ providerId: 'z', nativeId: '3', name: 'web3', state: 'active', raw: { id: 3, servername: 'web3', name: 'vps-3', instance_status: 'active' } });
    expect(mapInstance('z', { id: 3, name: 'vps-3' })).toMatchObject({ name: 'vps-3', state: null });
    expect(mapInstance('z', { id: 3 }).name).toBe('3');
    expect(mapInstance('z', { id: 1, url: 'https://panel/?auth=x', download_url: 'x', password: 'p' }).raw).toEqual({ id: 1 });
  });

  it('reads fotbo_status (the live state the panel shows first) before instance_status; an empty one falls back', () => {
    expect(instanceStateWord({ fotbo_status: 'rebuilding', instance_status: 'active' })).toBe('rebuilding');
    expect(instanceStateWord({ fotbo_status: ' stopped ', instance_status: 'active' })).toBe('stopped');
    for (const fotbo of ['', '  ', undefined, null, {}]) expect(instanceStateWord({ fotbo_status: fotbo, instance_status: 'active' }), String(fotbo)).toBe('active');
    expect(instanceStateWord({})).toBeNull();
  });

  it('a service suspended by billing reads suspend whatever the cloud says, and a restore of it fails', () => {
    for (const fotbo of ['stopped', 'active', 'rebuilding']) {
      const instance = mapInstance('z', { id: 1, instance_status: 'suspend', fotbo_status: fotbo });
      expect(instance.state, fotbo).toBe('suspend');
      expect(zomroInstanceStatus(instance), fotbo).toBe('SUSPENDED');
      expect(restoreProgress(instance.state, true), fotbo).toEqual(['FAILED', 'the instance is suspended']);
    }
    expect(instanceStateWord({ instance_status: ' Suspended ', fotbo_status: 'stopped' })).toBe(' Suspended ');
  });

  it("maps the panel's work-in-progress words to BUSY and leaves rescue words UNKNOWN", () => {
    for (const word of ['stopping', 'stoping', 'starting', 'creating', 'building', 'resizing', 'processing', 'rebooting', 'rescuing', 'unrescuing', 'rebuilding', 'resized', 'verify_resize']) {
      expect(zomroInstanceStatus({ state: word, raw: {} }), word).toBe('BUSY');
    }
    expect(zomroInstanceStatus({ state: 'suspend', raw: {} })).toBe('SUSPENDED');
    for (const word of ['rescued', 'booted_from_iso']) expect(zomroInstanceStatus({ state: word, raw: {} }), word).toBe('UNKNOWN');
  });

  it("maps OpenStack's task words a panel may pass on (the ones busy-instance.ts refuses a backup under) to BUSY", () => {
    for (const word of ['MIGRATING', 'RESIZE', 'REVERT_RESIZE', 'REBOOT', 'HARD_REBOOT', 'BUILD', 'REBUILD']) expect(zomroInstanceStatus({ state: word, raw: {} }), word).toBe('BUSY');
  });
});

describe('zomro mapper: schedules', () => {
  it('reads rotation days as words or numbers, Sunday as 0 or 7, sorted and de-duplicated', () => {
    expect(parseRotationDays('Monday Tuesday ')).toEqual(['MONDAY', 'TUESDAY']);
    expect(parseRotationDays('friday,MONDAY')).toEqual(['MONDAY', 'FRIDAY']);
    expect(parseRotationDays('1,2,3')).toEqual(['MONDAY', 'TUESDAY', 'WEDNESDAY']);
    expect(parseRotationDays('7 0 6')).toEqual(['SUNDAY', 'SATURDAY']);
    expect(parseRotationDays('Monday,1, 1')).toEqual(['MONDAY']);
    expect(parseRotationDays('Funday 12 Mo')).toEqual([]);
    expect(parseRotationDays('')).toEqual([]);
    expect(parseRotationDays(12)).toEqual([]);
  });

  it('sends rotation days as numbers, Sunday = 0, sorted and de-duplicated', () => {
    expect(rotationDaysParam(['SATURDAY', 'SUNDAY', 'MONDAY', 'SUNDAY'])).toBe('0,1,6');
    expect(rotationDaysParam([])).toBe('');
  });

  it('maps a schedule to a cron at its time on its days, in the account zone', () => {
    const schedule = mapSchedule('z', 'vm-from-url', { id: 9, instance_id: '12', name: 'nightly', rotation_days: 'Monday Friday', rotation_time: '03:05:00', create_date: '2024-05-06 07:08:09', auth: 'x' }, 'Europe/Amsterdam');
    expect(schedule).toEqual({
      providerId: 'z',
      nativeId: '9',
      instanceNativeId: '12',
      keyExtra: [],
      name: 'nightly',
      cron: '5 3 * * 1,5',
      timezone: 'Europe/Amsterdam',
      enabled: true,
      cronDialect: 'vixie',
      // The panel's clock: Amsterdam, UTC+2 in May.
      createdAt: new Date('2024-05-06T05:08:09Z'),
      raw: { id: 9, instance_id: '12', name: 'nightly', rotation_days: 'Monday Friday', rotation_time: '03:05:00', create_date: '2024-05-06 07:08:09' },
    });
  });

  it('reads "H:MM" and "HH:MM:SS" times, shows an unreadable or missing one as no cron (not midnight) and no readable day as daily, never failing the list', () => {
    expect(mapSchedule('z', 'vm', { id: 1, rotation_days: 'Tuesday', rotation_time: '2:01' }, 'UTC').cron).toBe('1 2 * * 2');
    expect(mapSchedule('z', 'vm', { id: 1, rotation_days: 'Tuesday', rotation_time: '02:01:00' }, 'UTC').cron).toBe('1 2 * * 2');
    expect(mapSchedule('z', 'vm', { id: 1, rotation_days: 'Tuesday', rotation_time: 'soon' }, 'UTC')).toMatchObject({ cron: '', enabled: false });
    expect(mapSchedule('z', 'vm', { id: 1, rotation_days: 'Tuesday', rotation_time: '25:00' }, 'UTC')).toMatchObject({ cron: '', enabled: false });
    expect(mapSchedule('z', 'vm', { id: 1, rotation_days: 'Tuesday', rotation_time: '02:01:60' }, 'UTC')).toMatchObject({ cron: '', enabled: false });
    expect(mapSchedule('z', 'vm', { id: 1, rotation_time: '22:15' }, 'UTC').cron).toBe('15 22 * * *');
    expect(mapSchedule('z', 'vm', { id: 1 }, 'UTC')).toMatchObject({ cron: '', enabled: false, instanceNativeId: 'vm', name: '1', createdAt: null });
  });
});

describe('zomro mapper: a backup still being made has no size yet', () => {
  const row = (fleio_status: string) => ({ id: 7, name: 'b', fleio_status, image_size: '2147483648', createdate: '2026-01-01 00:00:00' });

  it('Queued and Saving show no size, whatever image_size says; Active and the rest show it', () => {
    expect(mapBackup('zomro-1', '3', row('Queued')).sizeBytes).toBeNull();
    expect(mapBackup('zomro-1', '3', row('saving')).sizeBytes).toBeNull();
    for (const word of ['Active', 'Killed', 'deleting']) expect(mapBackup('zomro-1', '3', row(word)).sizeBytes, word).toBe(2147483648);
  });
});
