import { describe, expect, it } from 'vitest';
import type { Backup, BackupDefinition, BackupSchedule } from '../../src/domain/types.js';
import { ownFieldsOf, shapeEntity } from '../../src/graphql/entity-own-fields.js';
import { backupId, definitionId, scheduleId } from '../../src/gateway/ids.js';

const schedule = (nativeId: string): BackupSchedule => ({
  providerId: 'onapp-test',
  nativeId,
  instanceNativeId: 'vm-1',
  keyExtra: [],
  name: 'nightly',
  cron: '30 2 * * 1,3',
  timezone: 'UTC',
  enabled: true,
  cronDialect: 'vixie',
  createdAt: null,
  raw: {},
});

const backup = (): Backup => ({
  providerId: 'zomro-test', nativeId: 'b-1', instanceNativeId: 'vm-1', keyExtra: ['disk-2'], name: 'b', status: 'AVAILABLE', origin: null, mode: null, createdAt: null, sizeBytes: null,
  protected: false, diskId: null, minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
});

const definition = (retention: number | null): BackupDefinition => ({
  providerId: 'danube-test', nativeId: 'daily', instanceNativeId: 'vm-1', keyExtra: ['1'], name: 'daily', diskId: 1, schedule: schedule('daily'), retention, active: true,
  compression: null, bandwidthLimit: null, description: null, node: null, zpool: null, fsfreeze: null, raw: {},
});

describe('entity own fields', () => {
  it('writes the global id and what the cron says onto the object, as the resolvers answered them', () => {
    const item = schedule('s-1');
    shapeEntity('BackupSchedule', item);
    expect((item as unknown as Record<string, unknown>).id).toBe(scheduleId(item));
    expect((item as unknown as Record<string, unknown>).weekdays).toEqual(['MONDAY', 'WEDNESDAY']);
    expect((item as unknown as Record<string, unknown>).time).toBe('02:30');
    const saved = backup();
    shapeEntity('Backup', saved);
    expect((saved as unknown as Record<string, unknown>).id).toBe(backupId(saved));
  });

  it("shapes a definition's schedule with it, and says whether its retention was stated", () => {
    for (const retention of [7, null]) {
      const item = definition(retention);
      shapeEntity('BackupDefinition', item);
      const fields = item as unknown as Record<string, unknown>;
      expect([fields.id, fields.retentionStated, item.retention]).toEqual([definitionId(item), retention !== null, retention]);
      expect((item.schedule as unknown as Record<string, unknown>).id).toBe(scheduleId(item.schedule));
    }
  });

  it('stays out of JSON, keys and spread copies: what the stores and the shape checks of cached records read is unchanged', () => {
    const item = definition(3);
    const before = JSON.stringify(item);
    const keys = Object.keys(item);
    shapeEntity('BackupDefinition', item);
    expect(JSON.stringify(item)).toBe(before);
    expect(Object.keys(item)).toEqual(keys);
    expect(Object.hasOwn({ ...item }, 'id')).toBe(false);
  });

  it('computes once per object: a second shaping keeps what the first wrote', () => {
    const item = schedule('s-2');
    shapeEntity('BackupSchedule', item);
    const weekdays = (item as unknown as Record<string, unknown>).weekdays;
    shapeEntity('BackupSchedule', item);
    expect((item as unknown as Record<string, unknown>).weekdays).toBe(weekdays);
    expect(ownFieldsOf('BackupSchedule')).toEqual(['id', 'weekdays', 'time']);
    expect(ownFieldsOf('Instance')).toEqual([]);
  });
});
