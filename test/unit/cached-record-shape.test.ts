import { describe, expect, it } from 'vitest';
import { isCachedRecord } from '../../src/gateway/cached-record-shape.js';

// A record read from the shared read cache, decoded from JSON, written by a
// replica of this version or of another one during a rolling upgrade.

const schedule = { providerId: 'a', nativeId: 's1', instanceNativeId: '1', keyExtra: [], name: 'daily', cron: '0 3 * * *', timezone: 'UTC', enabled: true, cronDialect: 'vixie', createdAt: null, raw: {} };
const backup = {
  providerId: 'a', nativeId: 'b1', instanceNativeId: '1', keyExtra: ['disk-2'], name: 'b', status: 'AVAILABLE', origin: null, mode: null, createdAt: new Date(0), sizeBytes: 1,
  protected: false, diskId: null, minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
};
const definition = {
  providerId: 'a', nativeId: 'd1', instanceNativeId: '1', keyExtra: [], name: 'd', diskId: 1, schedule, retention: 7, active: true, compression: null,
  bandwidthLimit: null, description: null, node: null, zpool: null, fsfreeze: null, raw: {},
};

describe('a record read from the shared read cache', () => {
  it('is served with every value this version has a word for', () => {
    for (const status of ['PENDING', 'CREATING', 'AVAILABLE', 'RESTORING', 'DELETING', 'FAILED', 'UNKNOWN']) expect(isCachedRecord({ ...backup, status }, 'backups'), status).toBe(true);
    for (const origin of ['MANUAL', 'SCHEDULED']) expect(isCachedRecord({ ...backup, origin }, 'backups'), origin).toBe(true);
    for (const mode of ['FULL', 'INCREMENTAL']) expect(isCachedRecord({ ...backup, mode }, 'backups'), mode).toBe(true);
    for (const compression of ['NONE', 'GZIP', 'BZIP2', 'XZ']) expect(isCachedRecord({ ...definition, compression }, 'definitions'), compression).toBe(true);
    for (const unit of ['days', 'weeks', 'months', 'years']) expect(isCachedRecord({ ...schedule, repeat: { fromMs: 0, every: 2, unit } }, 'schedules'), unit).toBe(true);
  });

  it('is served with a backup id’s extra parts, and a schedule repeated every single period', () => {
    expect(isCachedRecord(backup, 'backups')).toBe(true);
    expect(isCachedRecord({ ...schedule, repeat: { fromMs: 0, every: 1, unit: 'weeks' } }, 'schedules')).toBe(true);
  });

  it.each([
    ['a backup id part that is no text', 'backups', { ...backup, keyExtra: ['disk-2', 2] }],
    ['a protected flag that is text', 'backups', { ...backup, protected: 'false' }],
    ['no protected flag', 'backups', { ...backup, protected: undefined }],
    ['a definition without its active flag', 'definitions', { ...definition, active: undefined }],
    // JSON.parse reads 1e999 as Infinity, which no GraphQL Float can carry.
    ['a size too large for a number', 'backups', { ...backup, sizeBytes: JSON.parse('1e999') as number }],
    ['raw provider data that is text', 'backups', { ...backup, raw: 'raw' }],
    ['raw provider data that is a number', 'instances', { providerId: 'a', nativeId: '1', name: 'vm', state: null, raw: 7 }],
    ['a definition whose schedule is null', 'definitions', { ...definition, schedule: null }],
  ])('is a miss when it holds %s', (_name, kind, record) => {
    expect(isCachedRecord(record, kind)).toBe(false);
  });

  it.each([null, 'record', 7, ['a', 's1']])('is a miss, not a failure, when the record is %j', (record) => {
    for (const kind of ['instances', 'backups', 'schedules', 'definitions']) expect(isCachedRecord(record, kind)).toBe(false);
  });
});
