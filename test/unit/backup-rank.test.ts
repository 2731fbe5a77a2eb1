import { describe, expect, it } from 'vitest';
import type { Backup } from '../../src/domain/types.js';
import { backupRank } from '../../src/gateway/backup-order.js';
import { backupId } from '../../src/gateway/ids.js';
import { paginate } from '../../src/gateway/pagination.js';

/** One instance's backup, `at` its time in ms (null: no date; NaN: a date the provider wrote that reads as none). */
const backup = (nativeId: string, at: number | null): Backup => ({
  providerId: 'a', nativeId, instanceNativeId: '1', keyExtra: [], name: nativeId, status: 'AVAILABLE', origin: null, mode: 'FULL',
  createdAt: at === null ? null : new Date(at), sizeBytes: 1, protected: false, diskId: null, minDiskBytes: null, minRamBytes: null,
  osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
});
/** One instance's backups paged as the gateway pages them (request-reads.ts: backupId, no accounts' order, backupRank). */
const page = (list: Backup[], first: number, after?: string) => paginate(list, { first, after }, 100, [], backupId, undefined, backupRank);
const names = (list: Backup[], first: number, after?: string): string[] => page(list, first, after).edges.map((edge) => edge.node.nativeId);
const endOf = (list: Backup[], first: number): string => page(list, first).pageInfo.endCursor ?? '';
const text = (cursor: string): string => Buffer.from(cursor, 'base64url').toString('utf8');

/**
 * backupRank is what an instance's backups list is ranked by (pagination.ts, placeByRank): a backup's
 * time, none for a backup without a date. Read through the pages a client gets.
 */
describe('backupRank: a backup list ranked by time across pages', () => {
  it("names a backup's time in its cursor, and none for a backup without a date or with one that reads as none", () => {
    expect(text(endOf([backup('b1', 1_700_000_000_000), backup('b2', null)], 1))).toMatch(/:0@1700000000000:/);
    expect(text(endOf([backup('b1', 1_700_000_000_000), backup('b2', null), backup('b3', null)], 2))).not.toContain('@');
    expect(text(endOf([backup('b1', 1_700_000_000_000), backup('b2', Number.NaN), backup('b3', null)], 2))).not.toContain('@');
    expect(backupRank(backup('b1', 5))).toBe(5);
    expect(backupRank(backup('b1', null))).toBeNull();
    expect(backupRank(backup('b1', Number.NaN))).toBeNull();
  });

  it('serves a backup whose date reads as none after one whose time changed, not skipping it', () => {
    const after = endOf([backup('b1', 10_000), backup('b2', 5_000), backup('b3', Number.NaN)], 2);
    // b2's time moved it first: the page after it starts at b3, listed last as a backup without a date.
    expect(names([backup('b2', 30_000), backup('b1', 10_000), backup('b3', Number.NaN)], 2, after)).toEqual(['b3']);
    expect(names([backup('b2', 30_000), backup('b1', 10_000), backup('b3', null)], 2, after)).toEqual(['b3']);
  });

  it('pages on past a backup without a date whose page cursor is taken back', () => {
    const list = [backup('b1', 10_000), backup('b2', null), backup('b3', null)];
    expect(names(list, 2, endOf(list, 2))).toEqual(['b3']);
  });
});
