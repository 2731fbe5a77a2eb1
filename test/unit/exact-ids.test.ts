import { describe, expect, it } from 'vitest';
import { mapBackup as danubeBackup, mapDefinition as danubeDefinition, mapInstance as danubeInstance } from '../../src/providers/danube/mapper.js';
import { idText, idTextOrNull } from '../../src/providers/native-id.js';
import { mapBackup as onappBackup, mapInstance as onappInstance, mapSchedule as onappSchedule } from '../../src/providers/onapp/mapper.js';
import { mapBackup as zomroBackup, mapInstance as zomroInstance, mapSchedule as zomroSchedule } from '../../src/providers/zomro/mapper.js';
import { groupBackups, mapInstance as zstackInstance } from '../../src/providers/zstack/mapper.js';

/**
 * Ids as a provider's JSON carries them: parsed from text, as the upstream
 * client does, so a number past 2^53 arrives with its digits already lost.
 */
const row = (json: string): Record<string, unknown> => JSON.parse(json) as Record<string, unknown>;
const INVALID = { code: 'PROVIDER_ERROR', details: { provider: 'p', providerCode: 'INVALID_RESPONSE' } };

describe('ids that cannot be read exactly make the answer invalid', () => {
  it('keeps strings and safe integers as they are, and absent references absent', () => {
    expect(idText('vm-1', 'p')).toBe('vm-1');
    expect(idText(9_007_199_254_740_991, 'p')).toBe('9007199254740991');
    expect(idText(0, 'p')).toBe('0');
    expect(idTextOrNull(undefined, 'p')).toBeNull();
    expect(idTextOrNull(null, 'p')).toBeNull();
    expect(idTextOrNull('', 'p')).toBeNull();
    expect(idTextOrNull(7, 'p')).toBe('7');
  });

  it('refuses a record without its id: absent, null or empty', () => {
    for (const value of [undefined, null, '']) expect(() => idText(value, 'p')).toThrow(expect.objectContaining(INVALID));
    expect(() => idText(undefined, 'lab')).toThrow('provider lab sent a record without its id');
  });

  it('every mapper refuses a record without its id, never an object nothing can address', () => {
    const mappers: Array<[string, (record: Record<string, unknown>) => unknown]> = [
      ['danube instance', (record) => danubeInstance('p', record)],
      ['danube backup', (record) => danubeBackup('p', 'web01', record)],
      ['danube definition (no name)', (record) => danubeDefinition('p', { hostname: 'web01', ...record })],
      ['danube definition (no hostname)', (record) => danubeDefinition('p', { name: 'daily', ...record })],
      ['onapp instance', (record) => onappInstance('p', record)],
      ['onapp backup', (record) => onappBackup('p', '1', record)],
      ['onapp schedule', (record) => onappSchedule('p', '1', '2', record, 'UTC')],
      ['zomro instance', (record) => zomroInstance('p', record)],
      ['zomro backup', (record) => zomroBackup('p', '1', record)],
      ['zomro schedule', (record) => zomroSchedule('p', '1', record, 'UTC')],
      ['zstack instance', (record) => zstackInstance('p', record)],
    ];
    for (const [name, map] of mappers) {
      for (const sparse of [{}, { id: null, uuid: null, name: null, hostname: null }, { id: '', uuid: '', name: '', hostname: '' }]) {
        expect(() => map({ status: 1, ...sparse }), name).toThrow(expect.objectContaining(INVALID));
      }
    }
  });

  it('refuses a number past 2^53, a fraction, or something that is no id at all', () => {
    // Two different ids in the provider's text, one number once parsed.
    expect(row('{"id": 9007199254740993}').id).toBe(row('{"id": 9007199254740992}').id);
    for (const value of [row('{"id": 9007199254740993}').id, 1.5, 1e21, Number.NaN, true, { id: 1 }, ['1']]) expect(() => idText(value, 'p')).toThrow(expect.objectContaining(INVALID));
    expect(() => idText(1.5, 'lab')).toThrow('provider lab sent an id that cannot be read exactly (not a string nor an integer below 2^53)');
  });

  it('OnApp: VM, backup, schedule and the disk a backup names', () => {
    expect(() => onappInstance('p', row('{"id": 9007199254740993, "label": "a"}'))).toThrow(expect.objectContaining(INVALID));
    expect(() => onappBackup('p', '7', row('{"id": 9007199254740993}'))).toThrow(expect.objectContaining(INVALID));
    expect(() => onappBackup('p', '7', row('{"id": 5, "disk_id": 9007199254740993}'))).toThrow(expect.objectContaining(INVALID));
    expect(() => onappBackup('p', '7', row('{"id": 5, "target_type": "Disk", "target_id": 9007199254740993}'))).toThrow(expect.objectContaining(INVALID));
    expect(() => onappSchedule('p', '7', '3', row('{"id": 9007199254740993}'), 'UTC')).toThrow(expect.objectContaining(INVALID));
    expect(onappBackup('p', '7', row('{"id": 9007199254740991, "disk_id": 12}'))).toMatchObject({ nativeId: '9007199254740991', diskId: '12' });
  });

  it('Zomro: instance, backup (and the instance it names), schedule', () => {
    expect(() => zomroInstance('p', row('{"id": 9007199254740993}'))).toThrow(expect.objectContaining(INVALID));
    expect(() => zomroBackup('p', '1', row('{"id": 9007199254740993}'))).toThrow(expect.objectContaining(INVALID));
    expect(() => zomroBackup('p', '1', row('{"id": "5", "instances_id": 9007199254740993}'))).toThrow(expect.objectContaining(INVALID));
    expect(() => zomroSchedule('p', '1', row('{"id": 9007199254740993}'), 'UTC')).toThrow(expect.objectContaining(INVALID));
    expect(zomroBackup('p', '1', row('{"id": "5", "instances_id": 77}'))).toMatchObject({ nativeId: '5', instanceNativeId: '77' });
  });

  it('ZStack: instance uuid and the VM and group a volume backup names', () => {
    expect(() => zstackInstance('p', row('{"uuid": 9007199254740993}'))).toThrow(expect.objectContaining(INVALID));
    expect(() => groupBackups('p', [row('{"groupUuid": 9007199254740993, "vmInstanceUuid": "a"}')], 'UTC')).toThrow(expect.objectContaining(INVALID));
    expect(() => groupBackups('p', [row('{"groupUuid": "g", "vmInstanceUuid": 9007199254740993}')], 'UTC')).toThrow(expect.objectContaining(INVALID));
  });

  it('Danube: hostname, backup name and the disk that is part of backup and definition ids', () => {
    expect(() => danubeInstance('p', row('{"hostname": 9007199254740993}'))).toThrow(expect.objectContaining(INVALID));
    expect(() => danubeBackup('p', 'vm', row('{"name": "daily-1", "disk_id": 9007199254740993}'))).toThrow(expect.objectContaining(INVALID));
    expect(() => danubeBackup('p', 'vm', row('{"name": "daily-1", "disk_id": 1.5}'))).toThrow(expect.objectContaining(INVALID));
    expect(() => danubeDefinition('p', row('{"hostname": "vm", "name": "daily", "disk_id": 9007199254740993}'))).toThrow(expect.objectContaining(INVALID));
    expect(danubeBackup('p', 'vm', row('{"name": "daily-1", "disk_id": 2}'))).toMatchObject({ nativeId: 'daily-1', keyExtra: ['2'] });
  });
});
