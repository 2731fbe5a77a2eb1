import { describe, expect, it } from 'vitest';
import { mapBackup, mapDefinition, mapInstance } from '../../src/providers/danube/mapper.js';

/** A `GET /vm/<hostname>/backup` item as Danube answers it (sizes in bytes, status a number, the pool named). */
const backupRow = (overrides: Record<string, unknown> = {}) => ({
  hostname: 'web01.example.com',
  vm: 'web01.example.com',
  dc: 'main',
  name: 'is-daily-20240305-0400',
  disk_id: 1,
  define: 'daily',
  status: 1,
  size: 10_737_418_240.4,
  time: 42,
  created: '2024-03-05T04:00:12.345Z',
  note: 'before the upgrade',
  node: 'node01.local',
  zpool: 'zones',
  api_key: 'row-api-key-5c1d',
  ...overrides,
});

/** A `GET /vm/define/backup` item: one definition of one VM disk. */
const definitionRow = (overrides: Record<string, unknown> = {}) => ({
  hostname: 'web01.example.com',
  name: 'weekly',
  disk_id: 2,
  type: 1,
  node: 'node01.local',
  zpool: 'zones',
  bwlimit: 52_428_800,
  retention: 4,
  compression: 2,
  schedule: '30 4 * * 6',
  active: true,
  fsfreeze: false,
  desc: 'weekly full',
  created: '2024-01-02T08:00:00Z',
  ...overrides,
});

describe('danube mapper: a backup record', () => {
  it('maps a realistic record: name as id, disk in the key, UTC date, size in bytes, node as region, its definition', () => {
    expect(mapBackup('danube-main', 'web01.example.com', backupRow())).toEqual({
      providerId: 'danube-main',
      nativeId: 'is-daily-20240305-0400',
      instanceNativeId: 'web01.example.com',
      keyExtra: ['1'],
      name: 'is-daily-20240305-0400',
      status: 'AVAILABLE',
      origin: 'SCHEDULED',
      mode: 'FULL',
      createdAt: new Date('2024-03-05T04:00:12.345Z'),
      sizeBytes: 10_737_418_240,
      protected: false,
      diskId: '1',
      minDiskBytes: null,
      minRamBytes: null,
      osDistro: null,
      osVersion: null,
      region: 'node01.local',
      note: 'before the upgrade',
      definitionName: 'daily',
      raw: expect.any(Object),
    });
  });

  it('reads the status numbers (1 ok, 2 pending, 3 restore, 4 lost), as numbers or strings; UNKNOWN for the rest', () => {
    const statuses: Array<[unknown, string]> = [[1, 'AVAILABLE'], [2, 'PENDING'], ['3', 'RESTORING'], [4, 'FAILED'], [5, 'UNKNOWN'], [null, 'UNKNOWN'], ['ok', 'UNKNOWN']];
    for (const [status, expected] of statuses) expect(mapBackup('d', 'vm', backupRow({ status })).status, String(status)).toBe(expected);
  });

  it('drops the pool and credential fields from raw, keeping the rest', () => {
    const raw = mapBackup('danube-main', 'web01.example.com', backupRow()).raw;
    expect(raw).not.toHaveProperty('zpool');
    expect(raw).not.toHaveProperty('api_key');
    expect(JSON.stringify(raw)).not.toContain('row-api-key-5c1d');
    expect(raw).toMatchObject({ name: 'is-daily-20240305-0400', status: 1, node: 'node01.local', define: 'daily' });
  });

  it('reads a backup without a definition (deleted) with no origin, a missing date or size as null, a missing disk as disk 1', () => {
    const backup = mapBackup('danube-main', 'web01.example.com', backupRow({ define: null, created: '', size: undefined, disk_id: undefined, hostname: undefined }));
    expect(backup).toMatchObject({ origin: null, definitionName: null, createdAt: null, sizeBytes: null, diskId: '1', keyExtra: ['1'], instanceNativeId: 'web01.example.com' });
  });
});

describe('danube mapper: instances and definitions', () => {
  it('names a VM by alias, else hostname, keeps its status word, and hides credentials', () => {
    const instance = mapInstance('danube-main', { hostname: 'web01.example.com', alias: 'web01', status: 'running', vcpus: 2, token: 'vm-token-1' });
    expect(instance).toEqual({ providerId: 'danube-main', nativeId: 'web01.example.com', name: 'web01', state: 'running', raw: { hostname: 'web01.example.com', alias: 'web01', status: 'running', vcpus: 2 } });
    expect(mapInstance('danube-main', { hostname: 'db01.example.com' })).toMatchObject({ name: 'db01.example.com', state: null });
  });

  it('maps a definition with its UTC cron schedule, retention, compression by number and options', () => {
    const definition = mapDefinition('danube-main', definitionRow());
    expect(definition).toEqual({
      providerId: 'danube-main',
      nativeId: 'weekly',
      instanceNativeId: 'web01.example.com',
      keyExtra: ['2'],
      name: 'weekly',
      diskId: 2,
      schedule: {
        providerId: 'danube-main',
        nativeId: 'weekly',
        instanceNativeId: 'web01.example.com',
        keyExtra: ['2'],
        name: 'weekly',
        cron: '30 4 * * 6',
        timezone: 'UTC',
        enabled: true,
        // Run by Celery beat: both day fields must match.
        cronDialect: 'celery',
        // The disk it backs up, as a backup's diskId: protection matches the two.
        diskId: '2',
        createdAt: new Date('2024-01-02T08:00:00.000Z'),
        raw: expect.any(Object),
      },
      retention: 4,
      active: true,
      compression: 'BZIP2',
      bandwidthLimit: 52_428_800,
      description: 'weekly full',
      node: 'node01.local',
      zpool: 'zones',
      fsfreeze: false,
      raw: expect.any(Object),
    });
    expect(definition.raw).not.toHaveProperty('zpool');
    expect(definition.schedule.raw).not.toHaveProperty('zpool');
  });

  it('reads each compression number, an inactive definition, and defaults for what is missing', () => {
    const compressions = [0, 1, 2, 3].map((compression) => mapDefinition('d', definitionRow({ compression })).compression);
    expect(compressions).toEqual(['NONE', 'GZIP', 'BZIP2', 'XZ']);
    expect(mapDefinition('d', definitionRow({ compression: 9 })).compression).toBeNull();
    const sparse = mapDefinition('d', { hostname: 'vm', name: 'bare', active: false });
    expect(sparse).toMatchObject({ active: false, diskId: 1, retention: null, compression: null, bandwidthLimit: null, fsfreeze: null, schedule: { cron: '', timezone: 'UTC' } });
  });
});
