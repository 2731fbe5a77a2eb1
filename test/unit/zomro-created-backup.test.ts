import { describe, expect, it } from 'vitest';
import type { Backup } from '../../src/domain/types.js';
import { backupOfCreate, idOrder } from '../../src/providers/zomro/created-backup.js';

const backup = (nativeId: string, name: string, createdAt: string | null): Backup => ({ nativeId, name, createdAt: createdAt === null ? null : new Date(createdAt) }) as Backup;

const STARTED = new Date('2024-07-23T10:00:00Z');
const TWO_DAYS_MS = 2 * 24 * 60 * 60 * 1000;

describe('backupOfCreate: the backup a Zomro create made', () => {
  it('with the id the create answered, is that backup, whatever its name and date', () => {
    const own = backup('7', 'other', '2020-01-01');
    expect(backupOfCreate([backup('9', 'nightly', '2024-07-23'), own], '7', 'nightly', STARTED)).toBe(own);
    expect(backupOfCreate([backup('9', 'nightly', '2024-07-23')], '7', 'nightly', STARTED)).toBeUndefined();
  });

  it('without an id, is the backup of its name with the highest id, not an older one of the same name', () => {
    const newest = backup('12', 'nightly', '2024-07-23');
    const found = backupOfCreate([backup('10', 'nightly', '2024-07-23'), newest, backup('11', 'nightly', '2024-07-23'), backup('13', 'weekly', '2024-07-23')], null, 'nightly', STARTED);
    expect(found).toBe(newest);
    expect(backupOfCreate([backup('13', 'weekly', '2024-07-23')], null, 'nightly', STARTED)).toBeUndefined();
    // An empty id is no id.
    expect(backupOfCreate([newest], '', 'nightly', STARTED)).toBe(newest);
  });

  it('orders ids as numbers, and of two alike takes the later listed', () => {
    const hundred = backup('100', 'nightly', '2024-07-23');
    expect(backupOfCreate([hundred, backup('99', 'nightly', '2024-07-23')], null, 'nightly', STARTED)).toBe(hundred);
    const second = backup('x', 'nightly', '2024-07-23');
    expect(backupOfCreate([backup('y', 'nightly', '2024-07-23'), second], null, 'nightly', STARTED)).toBe(second);
  });

  it('leaves out a backup of its name dated more than two days before the create started, keeps one dated exactly two days before, and an undated one', () => {
    const atTheEdge = backup('5', 'nightly', new Date(STARTED.getTime() - TWO_DAYS_MS).toISOString());
    const tooOld = backup('6', 'nightly', new Date(STARTED.getTime() - TWO_DAYS_MS - 1).toISOString());
    expect(backupOfCreate([atTheEdge, tooOld], null, 'nightly', STARTED)).toBe(atTheEdge);
    expect(backupOfCreate([tooOld], null, 'nightly', STARTED)).toBeUndefined();
    const undated = backup('4', 'nightly', null);
    expect(backupOfCreate([undated, tooOld], null, 'nightly', STARTED)).toBe(undated);
  });
});

describe('idOrder: a BILLmanager id as a number for ordering', () => {
  it('reads up to 15 digits as the number, anything else as -1', () => {
    expect(idOrder({ nativeId: '42' })).toBe(42);
    expect(idOrder({ nativeId: '123456789012345' })).toBe(123456789012345);
    for (const nativeId of ['1234567890123456', '', '4a', 'a4', '-4', '4.5', ' 4']) expect([nativeId, idOrder({ nativeId })]).toEqual([nativeId, -1]);
  });
});
