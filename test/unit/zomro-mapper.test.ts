import { describe, expect, it } from 'vitest';
import { imageSizeBytes, mapBackup, mapBackupStatus, mapInstance, mapSchedule, parseRotationDays, rotationDaysParam } from '../../src/providers/zomro/mapper.js';

const GIB = 1024 ** 3;

/** An `instances.fleio_bckps` elem as BILLmanager answers it: every value a string, the request echoed in `tparams`. */
const backupRow = (overrides: Record<string, unknown> = {}) => ({
  id: '8842',
  instances_id: '1203',
  name: 'before-upgrade',
  fleio_status: 'active',
  backup_type: 'manual',
  createdate: '2024-03-05 14:07:09',
  image_size: '3',
  protected: 'off',
  min_disk: '20',
  min_ram: '2048',
  os_distro: 'ubuntu',
  os_version: '22.04',
  region: 'nl-ams',
  tparams: { auth: 'session-token-0123', func: 'instances.fleio_bckps' },
  download_url: 'https://billing.example/download?token=abc',
  ...overrides,
});

describe('zomro mapper: a BILLmanager backup record', () => {
  it('maps a realistic record: ids, name, origin, UTC date, sizes in GB and MB, OS and region', () => {
    expect(mapBackup('zomro-nl', '1203', backupRow())).toEqual({
      providerId: 'zomro-nl',
      nativeId: '8842',
      instanceNativeId: '1203',
      keyExtra: [],
      name: 'before-upgrade',
      status: 'AVAILABLE',
      origin: 'MANUAL',
      mode: null,
      createdAt: new Date('2024-03-05T14:07:09.000Z'),
      sizeBytes: 3 * GIB,
      protected: false,
      diskId: null,
      minDiskBytes: 20 * GIB,
      minRamBytes: 2048 * 1024 ** 2,
      osDistro: 'ubuntu',
      osVersion: '22.04',
      region: 'nl-ams',
      note: null,
      definitionName: null,
      raw: expect.any(Object),
    });
  });

  it('drops the request echo and download links from raw, keeping every other field', () => {
    const raw = mapBackup('zomro-nl', '1203', backupRow({ password: 'hunter2-secret' })).raw;
    expect(raw).not.toHaveProperty('tparams');
    expect(raw).not.toHaveProperty('download_url');
    expect(raw).not.toHaveProperty('password');
    expect(JSON.stringify(raw)).not.toMatch(/session-token-0123|token=abc|hunter2-secret/);
    expect(raw).toMatchObject({ id: '8842', fleio_status: 'active', image_size: '3', region: 'nl-ams' });
  });

  it('reads the Glance status words whatever their case, UNKNOWN for the rest', () => {
    const words: Record<string, string> = { queued: 'PENDING', saving: 'CREATING', active: 'AVAILABLE', ' ACTIVE ': 'AVAILABLE', pending_delete: 'DELETING', deleting: 'DELETING', killed: 'FAILED', error: 'FAILED', suspended: 'FAILED' };
    for (const [word, status] of Object.entries(words)) expect(mapBackupStatus(word), word).toBe(status);
    expect(mapBackupStatus('uploading')).toBe('CREATING');
    expect(mapBackupStatus('rescued')).toBe('UNKNOWN');
    expect(mapBackupStatus(3)).toBe('UNKNOWN');
  });

  it('reads protection as "on", the origin of a scheduled backup, and the record\'s own instance id over the asked one', () => {
    const backup = mapBackup('zomro-nl', '1203', backupRow({ protected: 'on', backup_type: 'Scheduled', instances_id: '77' }));
    expect(backup).toMatchObject({ protected: true, origin: 'SCHEDULED', instanceNativeId: '77' });
    expect(mapBackup('zomro-nl', '1203', backupRow({ backup_type: 'weird', instances_id: undefined }))).toMatchObject({ origin: null, instanceNativeId: '1203' });
  });

  it('keeps a missing date, size or name as null (or the id), never a guess', () => {
    const backup = mapBackup('zomro-nl', '1203', backupRow({ createdate: '', image_size: '', name: undefined, min_disk: undefined }));
    expect(backup).toMatchObject({ createdAt: null, sizeBytes: null, name: '8842', minDiskBytes: null });
  });

  it('reads image_size as GB when small and as bytes from 2^20 up', () => {
    expect(imageSizeBytes('3')).toBe(3 * GIB);
    expect(imageSizeBytes(1.5)).toBe(1.5 * GIB);
    expect(imageSizeBytes(5_368_709_120)).toBe(5_368_709_120);
    expect(imageSizeBytes('-1')).toBeNull();
    expect(imageSizeBytes('lots')).toBeNull();
  });
});

describe('zomro mapper: instances and schedules', () => {
  it('names an instance by servername, then name, then id, and hides its credentials', () => {
    const row = { id: '1203', servername: 'web-01', name: 'vps-1203', instance_status: 'active', password: 'root-password-9', ip: '203.0.113.7' };
    const instance = mapInstance('zomro-nl', row);
    expect(instance).toMatchObject({ providerId: 'zomro-nl', nativeId: '1203', name: 'web-01', state: 'active' });
    expect(instance.raw).toEqual({ id: '1203', servername: 'web-01', name: 'vps-1203', instance_status: 'active', ip: '203.0.113.7' });
    expect(mapInstance('zomro-nl', { id: '9', name: 'vps-9' }).name).toBe('vps-9');
    expect(mapInstance('zomro-nl', { id: '9' })).toMatchObject({ name: '9', state: null });
  });

  it('reads rotation_days as words or numbers (Sunday = 0) and writes numbers back', () => {
    expect(parseRotationDays('Monday Wednesday ')).toEqual(['MONDAY', 'WEDNESDAY']);
    expect(parseRotationDays('0,6')).toEqual(['SUNDAY', 'SATURDAY']);
    expect(parseRotationDays('7')).toEqual(['SUNDAY']);
    expect(parseRotationDays(undefined)).toEqual([]);
    expect(rotationDaysParam(['SATURDAY', 'MONDAY', 'MONDAY'])).toBe('1,6');
  });

  it('maps a schedule record to a cron in the account zone, daily when no day is readable, no cron when no time is', () => {
    const row = { id: '31', instance_id: '1203', name: 'nightly', rotation_days: 'Monday Friday', rotation_time: '03:30:00', create_date: '2024-01-02 08:00:00', tparams: { auth: 'x' } };
    const schedule = mapSchedule('zomro-nl', '1203', row, 'Europe/Amsterdam');
    expect(schedule).toEqual({
      providerId: 'zomro-nl',
      nativeId: '31',
      instanceNativeId: '1203',
      keyExtra: [],
      name: 'nightly',
      cron: '30 3 * * 1,5',
      timezone: 'Europe/Amsterdam',
      enabled: true,
      cronDialect: 'vixie',
      // The panel's clock, the account zone's.
      createdAt: new Date('2024-01-02T07:00:00.000Z'),
      raw: { id: '31', instance_id: '1203', name: 'nightly', rotation_days: 'Monday Friday', rotation_time: '03:30:00', create_date: '2024-01-02 08:00:00' },
    });
    expect(mapSchedule('zomro-nl', '1203', { id: '32', rotation_days: '', rotation_time: 'soon' }, 'UTC')).toMatchObject({ cron: '', enabled: false, name: '32', instanceNativeId: '1203' });
  });
});
