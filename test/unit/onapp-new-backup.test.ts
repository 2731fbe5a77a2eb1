import { describe, expect, it } from 'vitest';
import type { Backup } from '../../src/domain/types.js';
import { OLDER_SERIES_LOOKED_AT, backupOfCreate, highestBackupId, olderHighests, placeInToken, type SeriesClaims } from '../../src/providers/onapp/new-backup.js';
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

/** One series whose last place is the create asking. */
const only = (highest: string, places: SeriesClaims['places']): SeriesClaims[] => [{ highest, places }];
const open = (count: number): SeriesClaims['places'] => Array.from({ length: count }, () => 'open' as const);

describe('backupOfCreate', () => {
  // Listed as OnApp lists them: not in id order, other disks mixed in.
  const listed = [backup('52'), backup('40'), backup('45', '8'), backup('47'), backup('39'), backup('50', null)];

  it('gives the n-th place of a series the n-th backup of the disk above its highest id, in ascending ids', () => {
    expect(backupOfCreate(listed, '7', only('40', open(1)))).toBe('47');
    expect(backupOfCreate(listed, '7', only('40', open(2)))).toBe('52');
    expect(backupOfCreate(listed, '8', only('40', open(1)))).toBe('45');
  });

  it("takes an incremental backup of the whole VM (no disk: target_type VirtualMachine, OnApp's docs) for a create of any of its disks, never a diskless backup that is not incremental", () => {
    const vmBackup = (nativeId: string): Backup => ({ nativeId, diskId: null, mode: 'INCREMENTAL' }) as Backup;
    expect(backupOfCreate([backup('40'), vmBackup('41')], '7', only('40', open(1)))).toBe('41');
    expect(backupOfCreate([backup('40'), vmBackup('41'), vmBackup('44')], '8', only('40', open(2)))).toBe('44');
    expect(backupOfCreate([backup('40'), backup('41', null)], '7', only('40', open(1)))).toBeUndefined();
    // An incremental backup that names its disk is that disk's only.
    expect(backupOfCreate([backup('40'), { nativeId: '41', diskId: '8', mode: 'INCREMENTAL' } as Backup], '7', only('40', open(1)))).toBeUndefined();
  });

  it("never takes a backup OnApp's own schedule made (initiated days/weeks/...): a schedule firing during a create makes one with a lower id", () => {
    const scheduled = (nativeId: string): Backup => ({ nativeId, diskId: '7', origin: 'SCHEDULED' }) as Backup;
    const manual = (nativeId: string): Backup => ({ nativeId, diskId: '7', origin: 'MANUAL' }) as Backup;
    expect(backupOfCreate([backup('40'), scheduled('41'), manual('42')], '7', only('40', open(1)))).toBe('42');
    expect(backupOfCreate([backup('40'), scheduled('41'), manual('42'), backup('43')], '7', only('40', open(2)))).toBe('43');
    expect(backupOfCreate([backup('40'), scheduled('41')], '7', only('40', open(1)))).toBeUndefined();
    // An origin the provider did not say (initiated null) may still be the create's.
    expect(backupOfCreate([backup('40'), { nativeId: '41', diskId: '7', origin: null } as Backup], '7', only('40', open(1)))).toBe('41');
  });

  it('finds nothing while the backup is not listed, and never the highest itself or a backup below it', () => {
    expect(backupOfCreate(listed, '7', only('40', open(3)))).toBeUndefined();
    expect(backupOfCreate(listed, '7', only('52', open(1)))).toBeUndefined();
    expect(backupOfCreate([backup('40'), backup('39')], '7', only('39', open(1)))).toBe('40');
    expect(backupOfCreate(listed, '7', [])).toBeUndefined();
  });

  it('compares ids as numbers, not as text', () => {
    expect(backupOfCreate([backup('100'), backup('99')], '7', only('98', open(1)))).toBe('99');
    expect(backupOfCreate([backup('100'), backup('99')], '7', only('98', open(2)))).toBe('100');
    expect(backupOfCreate([backup('100')], '7', only('99', open(1)))).toBe('100');
  });

  it('counts a place no longer held as one that may still make a backup', () => {
    expect(backupOfCreate(listed, '7', only('40', ['unheld', 'open']))).toBe('52');
    expect(backupOfCreate(listed, '7', only('40', ['unheld']))).toBe('47');
  });

  it('skips the places before it given up, and finds none for a place given up itself', () => {
    expect(backupOfCreate(listed, '7', only('40', ['given-up', 'open']))).toBe('47');
    expect(backupOfCreate(listed, '7', only('40', ['open', 'given-up', 'open']))).toBe('52');
    expect(backupOfCreate(listed, '7', only('40', ['open', 'given-up']))).toBeUndefined();
  });

  it('keeps a backup found, and never hands it to another place, even once it is listed below a later one', () => {
    expect(backupOfCreate(listed, '7', only('40', [{ found: '52' }, 'open']))).toBe('47');
    expect(backupOfCreate(listed, '7', only('40', ['open', { found: '47' }]))).toBe('47');
    expect(backupOfCreate(listed, '7', only('40', [{ found: '47' }, 'open']))).toBe('52');
    // Found, then deleted: still that one (the operation then says it is gone).
    expect(backupOfCreate(listed, '7', only('40', [{ found: '41' }]))).toBe('41');
  });

  it('skips the backups of an older series still unlisted when a later series started (A, C read 10; A made 11; B read 11)', () => {
    const made = [backup('11'), backup('12'), backup('13')];
    const older = { highest: '10', places: open(2) };
    expect(backupOfCreate(made, '7', [older, { highest: '11', places: open(1) }])).toBe('13');
    expect(backupOfCreate(made, '7', [{ highest: '10', places: open(2) }])).toBe('12');
    // Before 13 is listed, B waits rather than take C's.
    expect(backupOfCreate(made.slice(0, 2), '7', [older, { highest: '11', places: open(1) }])).toBeUndefined();
    // An older series whose creates made what is below B's highest takes nothing from B.
    expect(backupOfCreate(made, '7', [{ highest: '9', places: open(2) }, { highest: '12', places: open(1) }])).toBe('13');
    expect(backupOfCreate(made, '7', [{ highest: '10', places: [{ found: '11' }, 'given-up'] }, { highest: '11', places: open(1) }])).toBe('12');
  });
});

describe('olderHighests', () => {
  it('gives the highest ids an older series of the create may have read: the VM backups below its own, and 0, lowest first', () => {
    expect(olderHighests([backup('12'), backup('9', '8'), backup('11'), backup('30')], '12')).toEqual(['0', '9', '11']);
    expect(olderHighests([], '0')).toEqual([]);
    expect(olderHighests([backup('3')], '0')).toEqual([]);
    expect(olderHighests([backup('3')], '3')).toEqual(['0']);
    expect(olderHighests([backup('5'), backup('5', '8')], '7')).toEqual(['0', '5']);
  });

  it('adds the ids a series remembers, and only whole ids from 0 up below its own', () => {
    expect(olderHighests([backup('12')], '20', ['5', '12', '25', '20', '-3', '2.5', 'x', ''])).toEqual(['0', '5', '12']);
  });

  it(`looks at the ${OLDER_SERIES_LOOKED_AT} newest only`, () => {
    const many = Array.from({ length: 100 }, (_, index) => backup(String(index + 1)));
    const highests = olderHighests(many, '101');
    expect(highests).toHaveLength(OLDER_SERIES_LOOKED_AT);
    expect(highests[0]).toBe(String(101 - OLDER_SERIES_LOOKED_AT));
    expect(highests.at(-1)).toBe('100');
  });
});

/**
 * OnApp may write ids as exact strings (its JSON numbers past 2^53 are refused as unreadable): 18
 * digits read back as such. Compared as Number() they lost their last digits, so two backups of
 * one disk were one id to the create's count, and a create's own backup was never above the
 * highest id its series read.
 */
describe('ids past 2^53, written as exact strings', () => {
  const big = (last: number): string => `1234567890123456${String(last).padStart(2, '0')}`;

  it("gives a create the backup just above its series' highest id", () => {
    const listed = [backup(big(79)), backup(big(78)), backup(big(81))];
    expect(backupOfCreate(listed, '7', only(big(78), open(1)))).toBe(big(79));
    expect(backupOfCreate(listed, '7', only(big(78), open(2)))).toBe(big(81));
    expect(backupOfCreate(listed, '7', only(big(81), open(1)))).toBeUndefined();
  });

  it('names the older series of each backup below the highest id, each once', () => {
    expect(olderHighests([backup(big(77)), backup(big(78)), backup('5')], big(79))).toEqual(['0', '5', big(77), big(78)]);
  });

  it('reads the highest backup id exactly', () => {
    expect(highestBackupId([backup(big(78)), backup(big(79)), backup('5')])).toBe(big(79));
    expect(highestBackupId([])).toBe('0');
  });
});
