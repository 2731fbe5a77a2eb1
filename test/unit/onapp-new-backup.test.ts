import { describe, expect, it } from 'vitest';
import type { Backup } from '../../src/domain/types.js';
import { nthNewBackup, placeInToken } from '../../src/providers/onapp/new-backup.js';
import { MOST_OVERLAPPING_CREATES } from '../../src/state/create-order.js';

const backup = (nativeId: string, diskId: string | null = '7'): Backup => ({ nativeId, diskId }) as Backup;

describe('placeInToken', () => {
  it('reads the place a create took; an id made before places (or while the store was down) is the first', () => {
    expect(placeInToken(['7', '40'])).toBe(1);
    expect(placeInToken(['7', '40', '1'])).toBe(1);
    expect(placeInToken(['7', '40', '2'])).toBe(2);
    expect(placeInToken(['7', '40', String(MOST_OVERLAPPING_CREATES)])).toBe(MOST_OVERLAPPING_CREATES);
  });

  it('refuses a place no create can hold, before any store read', () => {
    for (const text of ['0', '', 'x', '1.5', '-1', ' 2', '2 ', '01', '002', '0x2', '1e1', String(MOST_OVERLAPPING_CREATES + 1), '999', '1000']) {
      expect(() => placeInToken(['7', '40', text]), text).toThrow('operation id has no valid place among the creates of its disk');
    }
  });
});

describe('nthNewBackup', () => {
  // Listed as OnApp lists them: not in id order, other disks mixed in.
  const listed = [backup('52'), backup('40'), backup('45', '8'), backup('47'), backup('39'), backup('50', null)];

  it('takes the rank-th backup of the disk above the highest id before the call, in ascending ids', () => {
    expect(nthNewBackup(listed, '7', '40', 1)?.nativeId).toBe('47');
    expect(nthNewBackup(listed, '7', '40', 2)?.nativeId).toBe('52');
    expect(nthNewBackup(listed, '8', '40', 1)?.nativeId).toBe('45');
  });

  it('finds nothing while the rank-th is not listed, and never the highest itself or a backup below it', () => {
    expect(nthNewBackup(listed, '7', '40', 3)).toBeUndefined();
    expect(nthNewBackup(listed, '7', '52', 1)).toBeUndefined();
    expect(nthNewBackup([backup('40'), backup('39')], '7', '39', 1)?.nativeId).toBe('40');
  });

  it('compares ids as numbers, not as text', () => {
    expect(nthNewBackup([backup('100'), backup('99')], '7', '98', 1)?.nativeId).toBe('99');
    expect(nthNewBackup([backup('100'), backup('99')], '7', '98', 2)?.nativeId).toBe('100');
    expect(nthNewBackup([backup('100')], '7', '99', 1)?.nativeId).toBe('100');
  });
});
