import { describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { placeAfterGoneAccount } from '../../src/gateway/account-order.js';
import { paginate } from '../../src/gateway/pagination.js';

interface Row {
  providerId: string;
  nativeId: string;
}
const ACCOUNTS = ['a', 'b', 'c'];
const rows = (...ids: string[]): Row[] => ids.map((id) => ({ providerId: id.slice(0, 1), nativeId: id }));
const keyOf = (row: Row): string => encodeId('Instance', row.providerId, [row.nativeId]);
const order = { accounts: ACCOUNTS, accountOf: (row: Row) => row.providerId };
const keyed = (place: number, row: Row): string => Buffer.from(`k:${place}:${keyOf(row)}`).toString('base64url');
const names = (page: { edges: Array<{ node: Row }> }): string[] => page.edges.map((edge) => edge.node.nativeId);

describe('a cursor whose account is gone from the list', () => {
  const before = rows('a1', 'a2', 'b1', 'b2', 'b3', 'c1', 'c2');
  const withoutB = before.filter((row) => row.providerId !== 'b');

  it('resumes at the first row of the next account, forward and backward', () => {
    const cursor = keyed(3, before[3]!);
    expect(names(paginate(withoutB, { first: 10, after: cursor }, 100, [], keyOf, order))).toEqual(['c1', 'c2']);
    expect(names(paginate(withoutB, { last: 10, before: cursor }, 100, [], keyOf, order))).toEqual(['a1', 'a2']);
  });

  it('ends the list where no account follows, and starts it where none precedes', () => {
    const withoutC = before.filter((row) => row.providerId !== 'c');
    expect(names(paginate(withoutC, { first: 10, after: keyed(5, before[5]!) }, 100, [], keyOf, order))).toEqual([]);
    const withoutA = before.filter((row) => row.providerId !== 'a');
    expect(names(paginate(withoutA, { last: 10, before: keyed(1, before[1]!) }, 100, [], keyOf, order))).toEqual([]);
    expect(names(paginate(withoutA, { first: 2, after: keyed(1, before[1]!) }, 100, [], keyOf, order))).toEqual(['b1', 'b2']);
  });

  it('keeps the old place where the account still has rows, is no account of the order, or the cursor is an offset', () => {
    const withoutB2 = before.filter((row) => row.nativeId !== 'b2');
    expect(names(paginate(withoutB2, { first: 1, after: keyed(3, before[3]!) }, 100, [], keyOf, order))).toEqual(['b3']);
    const stranger = { providerId: 'x', nativeId: 'x1' };
    expect(names(paginate(withoutB, { first: 1, after: keyed(3, stranger) }, 100, [], keyOf, order))).toEqual(['c2']);
    const offset = Buffer.from('o:1').toString('base64url');
    expect(names(paginate(withoutB, { first: 1, after: offset }, 100, [], keyOf, order))).toEqual(['c1']);
  });

  it('placeAfterGoneAccount: null where the account has rows or is unknown, else the next account\'s first row', () => {
    expect(placeAfterGoneAccount(withoutB, 'b', order)).toBe(2);
    expect(placeAfterGoneAccount(before, 'b', order)).toBeNull();
    expect(placeAfterGoneAccount(withoutB, 'x', order)).toBeNull();
    expect(placeAfterGoneAccount([], 'b', order)).toBe(0);
    expect(placeAfterGoneAccount(rows('a1'), 'b', order)).toBe(1);
  });
});
