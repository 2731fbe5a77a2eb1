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
const names = (page: { edges: Array<{ node: Row }> }): string[] => page.edges.map((edge) => edge.node.nativeId);
const text = (cursor: string | null | undefined): string => Buffer.from(cursor ?? '', 'base64url').toString('utf8');
const endOf = (list: Row[], first: number): string | undefined => paginate(list, { first }, 100, [], keyOf, order, rankOf).pageInfo.endCursor ?? undefined;

/**
 * The pure side of pages-after-resort.test.ts (which asks through the gateway): a ranked list's
 * cursor names its item's rank, and a page after an item gone or moved stands by that rank.
 */
describe('paginate: a ranked list re-sorted between pages', () => {
  it('names the rank after the place in the account, and none for an item without one', () => {
    const list = rows('a1@5', 'a2@-');
    expect(text(endOf(list, 1))).toMatch(/^k:0:[A-Za-z0-9_-]+:0@5:[A-Za-z0-9_-]+$/);
    expect(text(endOf(list, 2))).toMatch(/^k:1:[A-Za-z0-9_-]+:1$/);
    expect(text(endOf(rows('a1@-1700000000000'), 1))).toMatch(/@-1700000000000$/);
  });

  it('serves its own item again, not skipping the rows after it, when that item became the oldest', () => {
    const after = endOf(rows('a1@10', 'a2@5', 'a3@5', 'a4@1'), 3);
    expect(names(paginate(rows('a1@10', 'a2@5', 'a4@1', 'a3@0', 'b1@9'), { first: 3, after }, 100, [], keyOf, order, rankOf))).toEqual(['a4', 'a3', 'b1']);
  });

  it('starts after the rows of its rank where the item after it ranked below it: they were shown (guard)', () => {
    const after = endOf(rows('a1@10', 'a2@5', 'a3@5', 'a4@1'), 3);
    expect(names(paginate(rows('a1@10', 'a2@5', 'a4@1'), { first: 2, after }, 100, [], keyOf, order, rankOf))).toEqual(['a4']);
  });

  it('starts at the item after it where that one shares its rank, and at the first of its rank where that one is gone (guard)', () => {
    const after = endOf(rows('a1@10', 'a2@5', 'a3@5', 'a4@5'), 2);
    expect(names(paginate(rows('a1@10', 'a3@5', 'a4@5'), { first: 2, after }, 100, [], keyOf, order, rankOf))).toEqual(['a3', 'a4']);
    expect(names(paginate(rows('a1@10', 'a4@5'), { first: 2, after }, 100, [], keyOf, order, rankOf))).toEqual(['a4']);
  });

  it('serves a row of its rank again rather than skip one where the item after it moved above it', () => {
    const after = endOf(rows('a1@10', 'a2@5', 'a3@5', 'a4@1', 'a5@0'), 3);
    // a4 rose above everything and a3 is gone: a2 (of a3's rank) may have come after a3, so it is served.
    expect(names(paginate(rows('a4@20', 'a1@10', 'a2@5', 'a5@0'), { first: 2, after }, 100, [], keyOf, order, rankOf))).toEqual(['a2', 'a5']);
  });

  it('takes rows without a rank as ranked below every other (guard)', () => {
    const after = endOf(rows('a1@10', 'a2@5', 'a3@-'), 2);
    expect(names(paginate(rows('a1@10', 'a2@30', 'a3@-'), { first: 2, after }, 100, [], keyOf, order, rankOf))).toEqual(['a3']);
  });

  it('resumes at the next account where its account is gone, as without ranks (guard)', () => {
    const after = endOf(rows('a1@10', 'a2@5', 'b1@9'), 2);
    expect(names(paginate(rows('b1@9', 'b2@1'), { first: 2, after }, 100, [], keyOf, order, rankOf))).toEqual(['b1', 'b2']);
  });
  it('serves the rows of its rank again rather than skip them on a page before its item gone, where no item followed it', () => {
    const list = rows('a1@5', 'a2@5', 'a3@5');
    const last = paginate(list, { first: 1, after: endOf(list, 2) }, 100, [], keyOf, order, rankOf);
    expect(names(last)).toEqual(['a3']);
    // a3 is deleted: a1 and a2 (of its rank) stood before it, and the page back is theirs, not empty.
    const before = last.pageInfo.startCursor ?? undefined;
    expect(names(paginate(rows('a1@5', 'a2@5'), { last: 5, before }, 100, [], keyOf, order, rankOf))).toEqual(['a1', 'a2']);
  });
});
