import { describe, expect, it } from 'vitest';
import type { BackupSchedule } from '../../src/domain/types.js';
import { shapeEntity } from '../../src/graphql/entity-own-fields.js';
import { scheduleId } from '../../src/gateway/ids.js';

const schedule = (nativeId: string, cron: string): BackupSchedule => ({
  providerId: 'onapp-test', nativeId, instanceNativeId: 'vm-1', keyExtra: [], name: 'nightly', cron, timezone: 'UTC', enabled: true, cronDialect: 'vixie', createdAt: null, raw: {},
});

// Guards (pass on the Object.entries version too): the fields' descriptors, now one shared object, stay each object's own.
describe('entity own fields: each object its own values, fixed and hidden', () => {
  it('writes each field non-enumerable, read-only and configurable, with its own value on each object', () => {
    const first = schedule('s-1', '30 2 * * 1,3');
    const second = schedule('s-2', '15 4 * * 5');
    shapeEntity('BackupSchedule', first);
    shapeEntity('BackupSchedule', second);
    for (const [item, weekdays, time] of [[first, ['MONDAY', 'WEDNESDAY'], '02:30'], [second, ['FRIDAY'], '04:15']] as const) {
      expect(Object.getOwnPropertyDescriptor(item, 'id')).toEqual({ value: scheduleId(item), enumerable: false, writable: false, configurable: true });
      expect(Object.getOwnPropertyDescriptor(item, 'weekdays')).toEqual({ value: weekdays, enumerable: false, writable: false, configurable: true });
      expect(Object.getOwnPropertyDescriptor(item, 'time')).toEqual({ value: time, enumerable: false, writable: false, configurable: true });
      expect(Object.keys(item)).not.toContain('id');
      expect(JSON.parse(JSON.stringify(item))).not.toHaveProperty('weekdays');
    }
    expect(scheduleId(first)).not.toBe(scheduleId(second));
  });

  it('marks a shaped object so that shaping it again changes nothing', () => {
    const item = schedule('s-3', '0 1 * * *');
    shapeEntity('BackupSchedule', item);
    const before = Object.getOwnPropertyDescriptors(item);
    shapeEntity('BackupSchedule', item);
    expect(Object.getOwnPropertyDescriptors(item)).toEqual(before);
    expect(Object.getOwnPropertySymbols(item).map((symbol) => Object.getOwnPropertyDescriptor(item, symbol))).toEqual([{ value: true, enumerable: false, writable: false, configurable: false }]);
  });
});
