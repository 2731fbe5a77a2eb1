import { describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { paginate } from '../../src/gateway/pagination.js';

interface Row {
  providerId: string;
  nativeId: string;
}
const rows = (...ids: string[]): Row[] => ids.map((id) => ({ providerId: id.slice(0, 1), nativeId: id }));
const keyOf = (row: Row): string => encodeId('Instance', row.providerId, [row.nativeId]);
const order = { accounts: ['a', 'b', 'c'], accountOf: (row: Row) => row.providerId };
const names = (page: { edges: Array<{ node: Row }> }): string[] => page.edges.map((edge) => edge.node.nativeId);
const text = (cursor: string | null | undefined): string => Buffer.from(cursor ?? '', 'base64url').toString('utf8');

/**
 * The pure side of gone-cursor-rows-before.test.ts (which asks through the gateway): a keyed
 * cursor of a list spanning accounts names the item after its own, and a page after a gone item
 * starts at that one.
 */
describe('paginate: the item after a cursor\'s own', () => {
  it('starts the page after a gone item at the item that followed it, though rows before it in its account went too', () => {
    const after = paginate(rows('a1', 'a2', 'a3', 'a4', 'b1'), { first: 2 }, 100, [], keyOf, order).pageInfo.endCursor ?? undefined;
    // Its old place in its account (1) now holds a4: a3 was never shown.
    expect(names(paginate(rows('a3', 'a4', 'b1'), { first: 2, after }, 100, [], keyOf, order))).toEqual(['a3', 'a4']);
  });

  it('resumes at the old place in its account where the item after it is gone too', () => {
    const after = paginate(rows('a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'b4'), { first: 4 }, 100, [], keyOf, order).pageInfo.endCursor ?? undefined;
    // b1 was first of its account: b3 now is. Its old place in the whole list (3) now holds b4.
    expect(names(paginate(rows('a2', 'a3', 'b3', 'b4'), { first: 1, after }, 100, [], keyOf, order))).toEqual(['b3']);
  });

  it('names the item, its place in its account and the item after it; no item after the last; without the accounts\' order its place in the whole list', () => {
    const list = rows('a1', 'a2', 'b1');
    const edges = paginate(list, { first: 3 }, 100, [], keyOf, order).edges;
    expect(edges.map((edge) => text(edge.cursor))).toEqual([
      `k:0:${keyOf(list[0]!)}:0:${keyOf(list[1]!)}`,
      `k:1:${keyOf(list[1]!)}:1:${keyOf(list[2]!)}`,
      `k:2:${keyOf(list[2]!)}:0`,
    ]);
    const second = paginate(list, { first: 1, after: edges[0]!.cursor }, 100, [], keyOf, order).edges[0]!;
    expect(text(second.cursor)).toBe(`k:1:${keyOf(list[1]!)}:1:${keyOf(list[2]!)}`);
    // Without the accounts' order (one instance's backups) its place is in the whole list, and the item after it named too.
    expect(paginate(list, { first: 2 }, 100, [], keyOf).edges.map((edge) => text(edge.cursor))).toEqual([`k:0:${keyOf(list[0]!)}:0:${keyOf(list[1]!)}`, `k:1:${keyOf(list[1]!)}:1:${keyOf(list[2]!)}`]);
  });

  it('names the item after it only where both keys fit one key\'s room (2,048 characters), and takes either cursor back', () => {
    const plainKey = (row: Row): string => row.nativeId;
    const cursors = (secondLength: number): string[] => {
      const list = [
        { providerId: 'a', nativeId: 'x'.repeat(1_000) },
        { providerId: 'a', nativeId: 'y'.repeat(secondLength) },
      ];
      return paginate(list, { first: 2 }, 100, [], plainKey, order).edges.map((edge) => edge.cursor);
    };
    const [fits] = cursors(1_047);
    expect(text(fits)).toBe(`k:0:${'x'.repeat(1_000)}:0:${'y'.repeat(1_047)}`);
    const [over] = cursors(1_048);
    expect(text(over)).toBe(`k:0:${'x'.repeat(1_000)}:0`);
    // The first item gone: each cursor is taken, and the page starts at the item that followed it.
    const list = [{ providerId: 'a', nativeId: 'y'.repeat(1_047) }];
    expect(paginate(list, { first: 1, after: fits }, 100, [], plainKey, order).edges).toHaveLength(1);
    expect(paginate(list, { first: 1, after: over }, 100, [], plainKey, order).edges).toHaveLength(1);
  });

  it('takes back a cursor deep in its account (a place of two digits) naming no item after it, and one without the item after it (made before)', () => {
    const list = rows(...Array.from({ length: 12 }, (_, index) => `a${index + 1}`));
    const last = paginate(list, { first: 12 }, 100, [], keyOf, order).pageInfo.endCursor ?? undefined;
    expect(text(last)).toBe(`k:11:${keyOf(list[11]!)}:11`);
    expect(names(paginate(list, { last: 1, before: last }, 100, [], keyOf, order))).toEqual(['a11']);
    const deep = paginate(list, { first: 1, after: last }, 100, [], keyOf, order);
    expect(deep.edges).toEqual([]);
    const older = Buffer.from(`k:10:${keyOf(list[10]!)}:10`).toString('base64url');
    expect(names(paginate(list, { first: 5, after: older }, 100, [], keyOf, order))).toEqual(['a12']);
  });
});
