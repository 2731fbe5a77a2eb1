import { describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { paginate } from '../../src/gateway/pagination.js';

interface Row {
  providerId: string;
  nativeId: string;
  rank: number | null;
}
/** `a1@5`: account a, id a1, rank 5; `a9@-`: no rank. */
const rows = (...specs: string[]): Row[] =>
  specs.map((spec) => {
    const [id, rank] = spec.split('@') as [string, string];
    return { providerId: id.slice(0, 1), nativeId: id, rank: rank === '-' ? null : Number(rank) };
  });
const keyOf = (row: Row): string => encodeId('Backup', row.providerId, [row.nativeId]);
const rankOf = (row: Row): number | null => row.rank;
const order = { accounts: ['a', 'b'], accountOf: (row: Row) => row.providerId };
const text = (cursor: string | null | undefined): string => Buffer.from(cursor ?? '', 'base64url').toString('utf8');
const cursorOf = (value: string): string => Buffer.from(value).toString('base64url');
/** A ranked page as the gateway reads an account's backups (rankOf given). */
const ranked = (list: Row[], first: number, after?: string): string[] => paginate(list, { first, after }, 100, [], keyOf, order, rankOf).edges.map((edge) => edge.node.nativeId);
/** The end cursor of a ranked list's first page, or, with `rankOf` left out, of one whose cursors name no rank (as before ranks). */
const endOf = (list: Row[], first: number, withRank = true): string => paginate(list, { first }, 100, [], keyOf, order, withRank ? rankOf : undefined).pageInfo.endCursor ?? '';

/**
 * Where a ranked list's page after a cursor starts (pagination.ts, placeByRank and movedSince) in
 * the cases ranked-cursors.test.ts leaves out: rows of the cursor's rank, rows ranked below it,
 * cursors naming no rank (made before ranks, or of a list without them), and the rank's room in a
 * cursor.
 */
describe('paginate: where a ranked page starts', () => {
  it('starts at the item after it where that one shares its rank and rows of that rank came before it (they were shown)', () => {
    const after = endOf(rows('a1@10', 'a2@5', 'a3@5', 'a4@5'), 3);
    expect(ranked(rows('a1@10', 'a2@5', 'a4@5'), 2, after)).toEqual(['a4']);
  });

  it('starts after its item where that item kept its rank and the one after it is gone, not at the first row of its rank', () => {
    const after = endOf(rows('a1@10', 'a2@5', 'a3@5', 'a4@1', 'a5@0'), 3);
    expect(ranked(rows('a1@10', 'a2@5', 'a3@5', 'a5@0'), 2, after)).toEqual(['a5']);
  });

  it('starts at the first row of its rank where its item and the one after it are gone, at the head of the list too', () => {
    const after = endOf(rows('a2@5', 'a3@5', 'a4@5', 'a6@5', 'a5@1'), 1);
    expect(ranked(rows('a4@5', 'a6@5', 'a5@1'), 3, after)).toEqual(['a4', 'a6', 'a5']);
  });

  it('does not serve its own item again where its time fell but it still stands before the rows below its old rank', () => {
    const after = endOf(rows('a1@10', 'a2@8', 'a3@3'), 2);
    expect(ranked(rows('a1@10', 'a2@4', 'a3@3'), 2, after)).toEqual(['a3']);
  });

  it('starts at the first of several rows ranked below it, not the last', () => {
    const after = endOf(rows('a1@10', 'a2@5', 'a3@4', 'a4@3', 'a5@2'), 2);
    expect(ranked(rows('a2@20', 'a1@10', 'a3@4', 'a4@3', 'a5@2'), 2, after)).toEqual(['a3', 'a4']);
  });

  it('starts at the first row ranked below it where the item after it rose above it and none shares its rank', () => {
    const after = endOf(rows('a1@10', 'a2@5', 'a3@4', 'a4@1'), 2);
    expect(ranked(rows('a3@20', 'a1@10', 'a4@1'), 2, after)).toEqual(['a4']);
  });

  it('takes a row without a date as below a cursor of rank 0 (a time of 1970-01-01), not as one of its rank', () => {
    const after = endOf(rows('a1@10', 'a9@0', 'a2@0', 'a3@-'), 3);
    expect(text(after)).toMatch(/@0:/);
    expect(ranked(rows('a2@30', 'a1@10', 'a9@0', 'a3@-'), 2, after)).toEqual(['a3']);
  });

  it('pages a cursor naming no rank (made before ranks) by its item and the item after it', () => {
    const after = endOf(rows('a1@10', 'a2@5', 'a3@4', 'a4@1'), 2, false);
    expect(text(after)).not.toContain('@');
    // Its item still there, the one after it gone: after its item.
    expect(ranked(rows('a1@10', 'a2@5', 'a4@1'), 2, after)).toEqual(['a4']);
    // Its item gone: at the item after it.
    expect(ranked(rows('a1@10', 'a3@4', 'a4@1'), 2, after)).toEqual(['a3', 'a4']);
  });

  it('pages a cursor whose item had no date and has one now by its item', () => {
    const after = endOf(rows('a1@10', 'a2@-', 'a3@-', 'a4@-'), 2);
    expect(ranked(rows('a1@10', 'a2@2', 'a4@-'), 2, after)).toEqual(['a4']);
  });

  it("pages a cursor naming a rank on a list paged without ranks (a cursor written by hand) as that list's own, its item there or gone", () => {
    const after = endOf(rows('a1@10', 'a2@5', 'a3@4'), 2);
    const unranked = (list: Row[]): string[] => paginate(list, { first: 2, after }, 100, [], keyOf, order).edges.map((edge) => edge.node.nativeId);
    expect(unranked(rows('a1@10', 'a2@5', 'a3@4'))).toEqual(['a3']);
    expect(unranked(rows('a1@10', 'a3@4'))).toEqual(['a3']);
  });

  it('reads a rank past what a number holds exactly as no rank', () => {
    const [, a2, a3] = rows('a1@10', 'a2@5', 'a3@4').map(keyOf);
    const after = cursorOf(`k:1:${a2}:1@9999999999999999:${a3}`);
    expect(ranked(rows('a1@10', 'a3@4'), 2, after)).toEqual(['a3']);
  });

  it("names the rank only while the key and the rank fit the key's room, and the next key only while all three do", () => {
    const long = (length: number, rank: number) => [{ providerId: 'a', nativeId: 'x', rank, key: 'k'.repeat(length) }, { providerId: 'a', nativeId: 'y', rank: 1, key: 'n'.repeat(10) }];
    const cursorIn = (list: Array<Row & { key: string }>, nextLength?: number): string => {
      const items = nextLength === undefined ? list : [list[0]!, { ...list[1]!, key: 'n'.repeat(nextLength) }];
      const page = paginate(items, { first: 1 }, 100, [], (row) => row.key, undefined, rankOf);
      const cursor = page.pageInfo.endCursor ?? '';
      // Taken back, each cursor's page is the row after it.
      expect(paginate(items, { first: 1, after: cursor }, 100, [], (row) => row.key, undefined, rankOf).edges.map((edge) => edge.node.nativeId)).toEqual(['y']);
      return text(cursor);
    };
    // key + "@" + "5" = 2,048: named; 2,049: not.
    expect(cursorIn(long(2046, 5))).toContain('@5');
    expect(cursorIn(long(2047, 5))).not.toContain('@');
    expect(cursorIn(long(2040, 12345))).toContain('@12345');
    expect(cursorIn(long(2043, 12345))).not.toContain('@');
    // key + "@5" + ":" + next key = 2,048: the next key named; 2,049: not.
    expect(cursorIn(long(1000, 5), 1045)).toMatch(/@5:n{1045}$/);
    expect(cursorIn(long(1000, 5), 1046)).toMatch(/@5$/);
  });
});
