import { describe, expect, it } from 'vitest';
import { nextRunOf } from '../../src/domain/schedule.js';
import { COMPRESSIONS, mapBackup, mapDefinition, mapInstance } from '../../src/providers/danube/mapper.js';

describe('danube mapper', () => {
  it('names a VM by alias, else hostname, and keeps its status word', () => {
    expect(mapInstance('d', { hostname: 'web01.example.com', alias: 'web01', status: 'running', api_key: 'k' })).toEqual({
      providerId: 'd',
      nativeId: 'web01.example.com',
      name: 'web01',
      state: 'running',
      raw: { hostname: 'web01.example.com', alias: 'web01', status: 'running' },
    });
    expect(mapInstance('d', { hostname: 'web01.example.com' })).toMatchObject({ name: 'web01.example.com', state: null });
  });

  it('maps the documented status integers: 1 ok, 2 pending, 3 restore, 4 lost', () => {
    const status = (value: unknown) => mapBackup('d', 'h', { name: 'b', status: value }).status;
    expect([status(1), status(2), status(3), status(4), status('1')]).toEqual(['AVAILABLE', 'PENDING', 'RESTORING', 'FAILED', 'AVAILABLE']);
    expect([status(0), status(5), status(undefined), status('ok')]).toEqual(['UNKNOWN', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN']);
  });

  it('maps a backup made by a definition: disk key, size, node as region, note, origin SCHEDULED', () => {
    expect(mapBackup('d', 'from-url', { name: 'daily-20240723', hostname: 'web01', disk_id: 2, size: 1234.6, status: 1, define: 'daily', created: '2024-07-23T10:20:30Z', node: 'node1', note: 'before upgrade', password: 'x' })).toEqual({
      providerId: 'd',
      nativeId: 'daily-20240723',
      // No `vm`: the VM the list was asked for; `hostname` is the VM's hostname when the backup was made.
      instanceNativeId: 'from-url',
      keyExtra: ['2'],
      name: 'daily-20240723',
      status: 'AVAILABLE',
      origin: 'SCHEDULED',
      mode: 'FULL',
      createdAt: new Date('2024-07-23T10:20:30Z'),
      sizeBytes: 1235,
      protected: false,
      diskId: '2',
      minDiskBytes: null,
      minRamBytes: null,
      osDistro: null,
      osVersion: null,
      region: 'node1',
      note: 'before upgrade',
      definitionName: 'daily',
      raw: { name: 'daily-20240723', hostname: 'web01', disk_id: 2, size: 1234.6, status: 1, define: 'daily', created: '2024-07-23T10:20:30Z', node: 'node1', note: 'before upgrade' },
    });
  });

  it("a backup is its VM's as the VM is now: `vm` where the row has it, else the VM asked for, never the hostname it was made under", () => {
    expect(mapBackup('d', 'app03', { name: 'daily-1', hostname: 'web03', vm: 'app03', vm_uuid: 'u' }).instanceNativeId).toBe('app03');
    expect(mapBackup('d', 'app03', { name: 'daily-1', hostname: 'web03' }).instanceNativeId).toBe('app03');
    // A panel ignoring its per-VM filter: the row names its own VM.
    expect(mapBackup('d', 'web01', { name: 'daily-1', hostname: 'web02', vm: 'web02' }).instanceNativeId).toBe('web02');
  });

  it('a backup whose definition was deleted has no origin (Danube does not say who ran it), on disk 1, of the instance asked for', () => {
    expect(mapBackup('d', 'web02', { name: 'manual-1', define: '' })).toMatchObject({ origin: null, definitionName: null, keyExtra: ['1'], diskId: '1', instanceNativeId: 'web02', sizeBytes: null, createdAt: null });
    expect(mapBackup('d', 'web02', { name: 'manual-2' })).toMatchObject({ nativeId: 'manual-2', name: 'manual-2', status: 'UNKNOWN', region: null, note: null });
  });

  it('maps a definition and the schedule inside it, cron in UTC', () => {
    const definition = mapDefinition('d', { hostname: 'web01', name: 'daily', disk_id: '2', schedule: '30 2 * * *', retention: 7, active: true, compression: 1, bwlimit: 1000, desc: 'nightly', node: 'n1', zpool: 'zones', fsfreeze: true, created: '2024-01-01' });
    expect(definition).toMatchObject({
      providerId: 'd',
      nativeId: 'daily',
      instanceNativeId: 'web01',
      keyExtra: ['2'],
      name: 'daily',
      diskId: 2,
      retention: 7,
      active: true,
      compression: 'GZIP',
      bandwidthLimit: 1000,
      description: 'nightly',
      node: 'n1',
      zpool: 'zones',
      fsfreeze: true,
    });
    expect(definition.schedule).toMatchObject({ providerId: 'd', nativeId: 'daily', instanceNativeId: 'web01', keyExtra: ['2'], name: 'daily', cron: '30 2 * * *', timezone: 'UTC', createdAt: new Date('2024-01-01T00:00:00Z') });
  });

  it('fills a sparse definition: disk 1, no schedule (nothing runs it), retention unknown (null, never 0), active when absent (the documented default), compression unknown (null: the record does not say)', () => {
    const sparse = mapDefinition('d', { hostname: 'web01', name: 'daily' });
    expect(sparse).toMatchObject({ nativeId: 'daily', instanceNativeId: 'web01', diskId: 1, keyExtra: ['1'], retention: null, active: true, compression: null, bandwidthLimit: null, description: null, node: null, zpool: null, fsfreeze: null });
    expect(sparse.schedule).toMatchObject({ cron: '', keyExtra: ['1'], createdAt: null });
    // Danube sends null for a definition without its Celery task: it has no next run (it read daily at midnight).
    expect(nextRunOf(mapDefinition('d', { hostname: 'web01', name: 'daily', schedule: null, retention: 7 }).schedule, new Date('2026-06-01T12:00:00Z'))).toBeNull();
    expect(mapDefinition('d', { hostname: 'web01', name: 'daily', active: false }).active).toBe(false);
    expect(mapDefinition('d', { hostname: 'web01', name: 'daily', fsfreeze: 'yes' }).fsfreeze).toBeNull();
    expect(mapDefinition('d', { hostname: 'web01', name: 'daily', fsfreeze: false }).fsfreeze).toBe(false);
  });

  it("reads `active` as Django REST framework's BooleanField does: 0, '0' and 'false' are inactive, absent is the document's default (active), anything else is no answer", () => {
    const active = (value: unknown) => mapDefinition('d', { hostname: 'web01', name: 'daily', retention: 7, schedule: '0 4 * * *', active: value });
    // 0 read as active before: a definition switched off that way showed a next run and counted towards PROTECTED.
    for (const off of [false, 0, '0', 'false', 'False', 'off', 'no']) {
      expect(active(off).active, String(off)).toBe(false);
      expect(nextRunOf(active(off).schedule, new Date('2026-06-01T12:00:00Z')), String(off)).toBeNull();
    }
    for (const on of [true, 1, '1', 'true', 'True', 'on', 'yes', undefined, null]) expect(active(on).active, String(on)).toBe(true);
    for (const junk of [2, -1, 'maybe', '', [], {}, [false]]) {
      expect(() => active(junk), JSON.stringify(junk)).toThrow(expect.objectContaining({ code: 'PROVIDER_ERROR', message: 'provider d sent an active flag that is no boolean' }));
    }
  });

  it('maps compression by its index, an unknown one to null', () => {
    expect(COMPRESSIONS).toEqual(['NONE', 'GZIP', 'BZIP2', 'XZ']);
    expect([0, 1, 2, 3, 4].map((compression) => mapDefinition('d', { hostname: 'web01', name: 'daily', compression }).compression)).toEqual(['NONE', 'GZIP', 'BZIP2', 'XZ', null]);
  });
});

describe('danube mapper: numbers a GraphQL field must hold exactly', () => {
  const definition = (extra: Record<string, unknown>) => mapDefinition('d', { hostname: 'web01', name: 'daily', ...extra });
  const INVALID = (message: string) => expect.objectContaining({ code: 'PROVIDER_ERROR', message, details: { provider: 'd', providerCode: 'INVALID_RESPONSE' } });

  it('reads a retention, a disk and a bandwidth limit written as whole numbers or their text, up to the field’s range', () => {
    expect(definition({ retention: 7, disk_id: '2', bwlimit: '1000' })).toMatchObject({ retention: 7, diskId: 2, bandwidthLimit: 1000 });
    expect(definition({ retention: 2_147_483_647, disk_id: 2_147_483_647, bwlimit: Number.MAX_SAFE_INTEGER })).toMatchObject({ retention: 2_147_483_647, diskId: 2_147_483_647, bandwidthLimit: Number.MAX_SAFE_INTEGER });
    expect(definition({ retention: 0, disk_id: 0, bwlimit: 0 })).toMatchObject({ retention: 0, diskId: 0, bandwidthLimit: 0 });
    // Absent: retention unknown (the API requires one; a record without it does not say, and 0 said "keeps none"), disk 1, no bandwidth limit.
    expect(definition({ retention: null, disk_id: '', bwlimit: null })).toMatchObject({ retention: null, diskId: 1, bandwidthLimit: null });
    expect(definition({ retention: '' }).retention).toBeNull();
    expect(definition({}).retention).toBeNull();
  });

  it('refuses one that is no whole number or is past the field (it answered INTERNAL_SERVER_ERROR)', () => {
    for (const retention of [1.5, 2_147_483_648, -1, 'seven', true]) expect(() => definition({ retention }), String(retention)).toThrow(INVALID('provider d sent a retention that is no count'));
    for (const disk_id of [2 ** 40, 1.5, -2, 'x']) expect(() => definition({ disk_id }), String(disk_id)).toThrow(INVALID('provider d sent a disk id that cannot be read exactly'));
    for (const bwlimit of [1.5, 2 ** 53, -1, 'fast']) expect(() => definition({ bwlimit }), String(bwlimit)).toThrow(INVALID('provider d sent a bandwidth limit that is no whole number'));
    expect(() => mapBackup('d', 'web01', { name: 'b', disk_id: 2 ** 31 })).toThrow(INVALID('provider d sent a disk id that cannot be read exactly'));
  });
});

describe('danube mapper: sizes', () => {
  it('keeps a size that is a whole, non-negative, safe number of bytes (rounded), and shows none otherwise', () => {
    const size = (value: unknown) => mapBackup('d', 'web01', { name: 'b', size: value }).sizeBytes;
    expect([size(1234.6), size('2048'), size(0)]).toEqual([1235, 2048, 0]);
    // SafeInt refused these: the answer was INTERNAL_SERVER_ERROR.
    expect([size(1e300), size(-5), size(2 ** 53), size('big')]).toEqual([null, null, null, null]);
  });
});
