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

describe('a cursor whose item and the item after it are gone, its account still listed', () => {
  const withPlace = (place: number, row: Row, placeInAccount: number): string => Buffer.from(`k:${place}:${keyOf(row)}:${placeInAccount}`).toString('base64url');

  it('resumes at its old place in its account, counted from the account\'s first row now, and at the account\'s end where it shrank', () => {
    // b2 was second of its account (place 3 in the list); a2, b2 and b3 went.
    const after = paginate(rows('a1', 'a2', 'b1', 'b2', 'b3', 'b4'), { first: 4 }, 100, [], keyOf, order).pageInfo.endCursor ?? undefined;
    expect(names(paginate(rows('a1', 'b1', 'b4'), { first: 1, after }, 100, [], keyOf, order))).toEqual(['b4']);
    // b4 was fourth of its account: the account holds one row now, so the page starts after it.
    const deep = paginate(rows('a1', 'b1', 'b2', 'b3', 'b4', 'b5', 'c1'), { first: 5 }, 100, [], keyOf, order).pageInfo.endCursor ?? undefined;
    expect(names(paginate(rows('a1', 'b1', 'c1'), { first: 5, after: deep }, 100, [], keyOf, order))).toEqual(['c1']);
  });

  it('counts from its account\'s first row when that row is the list\'s first', () => {
    // b2 at place 2, second of its account; account a gone from the order's rows, b2 and b3 gone, b4 new.
    expect(names(paginate(rows('b1', 'b4'), { first: 5, after: withPlace(2, { providerId: 'b', nativeId: 'b2' }, 1) }, 100, [], keyOf, order))).toEqual(['b4']);
  });

  it('an account no order names, or no order at all: the old place in the whole list, no error', () => {
    const stranger = { providerId: 'x', nativeId: 'x1' };
    const list = rows('a1', 'a2', 'b1', 'b2');
    expect(names(paginate(list, { first: 1, after: withPlace(2, stranger, 0) }, 100, [], keyOf, order))).toEqual(['b1']);
    const gone = { providerId: 'a', nativeId: 'a9' };
    expect(names(paginate(list, { first: 1, after: withPlace(2, gone, 1) }, 100, [], keyOf))).toEqual(['b1']);
    expect(names(paginate(list, { first: 1, after: keyed(3, gone) }, 100, [], keyOf))).toEqual(['b2']);
  });

  it('numbers a page\'s first row from its own account\'s first row, not an earlier account\'s', () => {
    const list = rows('a1', 'a2', 'b1', 'b2');
    const first = paginate(list, { first: 2 }, 100, [], keyOf, order).pageInfo.endCursor;
    const next = paginate(list, { first: 1, after: first }, 100, [], keyOf, order).edges[0]!;
    expect(Buffer.from(next.cursor, 'base64url').toString('utf8')).toBe(`k:2:${keyOf(list[2]!)}:0:${keyOf(list[3]!)}`);
  });
});
