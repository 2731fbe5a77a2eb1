import { describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { paginate } from '../../src/gateway/pagination.js';

const items = Array.from({ length: 7 }, (_, index) => `item-${index}`);
const cursorOf = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
const badInput = expect.objectContaining({ code: 'BAD_USER_INPUT' });

describe('pagination over a list held in full', () => {
  it('serves the first page, says there is more, and counts everything', () => {
    const page = paginate(items, { first: 3, after: null }, 100, []);
    expect(page.edges.map((edge) => edge.node)).toEqual(['item-0', 'item-1', 'item-2']);
    expect(page.edges.map((edge) => edge.cursor)).toEqual([cursorOf(0), cursorOf(1), cursorOf(2)]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, endCursor: cursorOf(2) });
    expect(page.pageInfo.startCursor).toBe(cursorOf(0));
    expect(page.totalCount).toBe(7);
  });

  it('says a page after the first has items before it, and names its first edge in startCursor', () => {
    const page = paginate(items, { first: 2, after: cursorOf(2) }, 100, []);
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, startCursor: cursorOf(3), endCursor: cursorOf(4) });
    expect(paginate([], { first: 2, after: null }, 100, []).pageInfo).toMatchObject({ hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it('walks the whole list page by page with endCursor, each item once', () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: ReturnType<typeof paginate<string>> = paginate(items, { first: 3, after }, 100, []);
      seen.push(...page.edges.map((edge) => edge.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(items);
  });

  it('says there is no next page when the page ends exactly at the last item', () => {
    const page = paginate(items, { first: 2, after: cursorOf(4) }, 100, []);
    expect(page.edges.map((edge) => edge.node)).toEqual(['item-5', 'item-6']);
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(paginate(items, { first: 7, after: null }, 100, []).pageInfo.hasNextPage).toBe(false);
    expect(paginate(items, { first: 6, after: null }, 100, []).pageInfo.hasNextPage).toBe(true);
  });

  it('serves 50 items when first is not given', () => {
    const many = Array.from({ length: 60 }, (_, index) => index);
    expect(paginate(many, { first: undefined, after: undefined }, 100, []).edges).toHaveLength(50);
    expect(paginate(many, { first: null, after: null }, 100, []).edges).toHaveLength(50);
  });

  it('gives an empty page, with a null endCursor, past the end', () => {
    const page = paginate(items, { first: 3, after: cursorOf(6) }, 100, []);
    expect(page).toMatchObject({ edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null }, totalCount: 7 });
  });

  it('a list emptied since the cursor was made has no previous page to go back to', () => {
    expect(paginate([], { first: 2, after: cursorOf(3) }, 100, []).pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it('pages backward with last and before: the end of the list first, then the pages before it', () => {
    const last = paginate(items, { last: 3 }, 100, []);
    expect(last.edges.map((edge) => edge.node)).toEqual(['item-4', 'item-5', 'item-6']);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true, startCursor: cursorOf(4), endCursor: cursorOf(6) });
    const before = paginate(items, { last: 3, before: last.pageInfo.startCursor }, 100, []);
    expect(before.edges.map((edge) => edge.node)).toEqual(['item-1', 'item-2', 'item-3']);
    expect(before.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const head = paginate(items, { last: 3, before: before.pageInfo.startCursor }, 100, []);
    expect(head.edges.map((edge) => edge.node)).toEqual(['item-0']);
    expect(head.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('an offset before past the end of the list is the end of the list', () => {
    expect(paginate(items, { last: 2, before: cursorOf(999) }, 100, []).edges.map((edge) => edge.node)).toEqual(['item-5', 'item-6']);
    expect(paginate([], { last: 2, before: cursorOf(3) }, 100, []).pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it('takes last from 1 to the page size cap, and refuses first with last, with BAD_USER_INPUT', () => {
    expect(paginate(items, { last: 5 }, 5, []).edges).toHaveLength(5);
    for (const last of [0, -1, 6, 2.5, Number.NaN]) expect(() => paginate(items, { last }, 5, []), String(last)).toThrow('last must be between 1 and 5');
    expect(() => paginate(items, { first: 1, last: 1 }, 5, [])).toThrow(badInput);
    // null is no value: the other one pages.
    expect(paginate(items, { first: null, last: 2 }, 5, []).edges.map((edge) => edge.node)).toEqual(['item-5', 'item-6']);
    expect(paginate(items, { first: 2, last: null }, 5, []).edges.map((edge) => edge.node)).toEqual(['item-0', 'item-1']);
  });

  it('refuses a before it did not make as it refuses an after, naming before', () => {
    expect(() => paginate(items, { last: 2, before: 'garbage' }, 100, [])).toThrow('before must be a cursor from a previous page');
  });

  it('passes the provider errors through', () => {
    const errors = [{ provider: 'p', code: 'PROVIDER_UNAVAILABLE' as const, message: 'down' }];
    expect(paginate(items, { first: 1, after: null }, 100, errors as never).providerErrors).toBe(errors);
  });

  it('takes first from 1 to the page size cap, refusing anything else with BAD_USER_INPUT', () => {
    expect(paginate(items, { first: 1, after: null }, 5, []).edges).toHaveLength(1);
    expect(paginate(items, { first: 5, after: null }, 5, []).edges).toHaveLength(5);
    for (const first of [0, -1, 6, 2.5, Number.NaN]) expect(() => paginate(items, { first, after: null }, 5, [])).toThrow(badInput);
    expect(() => paginate(items, { first: 6, after: null }, 5, [])).toThrow('first must be between 1 and 5');
  });

  it('refuses a cursor it did not make with BAD_USER_INPUT', () => {
    const forged = [
      'garbage',
      Buffer.from('o:').toString('base64url'),
      Buffer.from('o:-1').toString('base64url'),
      Buffer.from('x:1').toString('base64url'),
      Buffer.from('o:1x').toString('base64url'),
      Buffer.from('xo:1').toString('base64url'),
      Buffer.from('o:1234567890').toString('base64url'),
      // A valid cursor padded past the longest one the gateway makes.
      cursorOf(1) + 'A'.repeat(64),
    ];
    for (const after of forged) expect(() => paginate(items, { first: 2, after }, 100, []), after).toThrow(badInput);
    expect(() => paginate(items, { first: 2, after: 'garbage' }, 100, [])).toThrow('after must be a cursor from a previous page');
  });

  it('takes the longest cursor it makes (nine digits) and one of exactly 64 characters', () => {
    expect(paginate(items, { first: 2, after: cursorOf(999_999_999) }, 100, []).edges).toEqual([]);
    // base64url of 48 bytes is 64 characters: "o:" and 46 digits is refused for its digits, not its length.
    const sixtyFour = Buffer.from(`o:${'0'.repeat(46)}`).toString('base64url');
    expect(sixtyFour).toHaveLength(64);
    expect(() => paginate(items, { first: 2, after: sixtyFour }, 100, [])).toThrow(badInput);
  });

  describe('with keys (cursors that name their item)', () => {
    const keyed = (list: readonly string[], first: number, after: string | null) => paginate(list, { first, after }, 100, [], (item) => item.replace('item-', 'key'));
    const keyedCursorOf = (place: number, key: string) => Buffer.from(`k:${place}:${key}`).toString('base64url');
    /** A cursor as a list of one account's rows makes it: its place among them (its place in the list), then the key of the item after it, if any. */
    const madeCursorOf = (place: number, key: string, nextKey?: string) => Buffer.from(`k:${place}:${key}:${place}${nextKey === undefined ? '' : `:${nextKey}`}`).toString('base64url');

    it('names the item and its place in each cursor', () => {
      const page = keyed(items, 2, null);
      expect(page.edges.map((edge) => edge.cursor)).toEqual([madeCursorOf(0, 'key0', 'key1'), madeCursorOf(1, 'key1', 'key2')]);
      expect(page.pageInfo.endCursor).toBe(madeCursorOf(1, 'key1', 'key2'));
    });

    it('an item removed before the cursor between pages skips nothing (an offset skipped the next item)', () => {
      const endCursor = keyed(items, 3, null).pageInfo.endCursor;
      const fewer = items.filter((item) => item !== 'item-0');
      expect(keyed(fewer, 3, endCursor).edges.map((edge) => edge.node)).toEqual(['item-3', 'item-4', 'item-5']);
    });

    it('an item added before the cursor between pages repeats nothing (an offset served the last item again)', () => {
      const endCursor = keyed(items, 3, null).pageInfo.endCursor;
      expect(keyed(['item-new', ...items], 3, endCursor).edges.map((edge) => edge.node)).toEqual(['item-3', 'item-4', 'item-5']);
    });

    it("the cursor's own item gone: the page starts at its old place, where the next item moved up", () => {
      const endCursor = keyed(items, 3, null).pageInfo.endCursor;
      const without = items.filter((item) => item !== 'item-2');
      expect(keyed(without, 2, endCursor).edges.map((edge) => edge.node)).toEqual(['item-3', 'item-4']);
      expect(keyed(items.slice(0, 2), 2, endCursor).edges).toEqual([]);
    });

    it('takes places of many digits', () => {
      const long = Array.from({ length: 1_000 }, (_, index) => `item-${index}`);
      expect(keyed(long, 1, keyedCursorOf(987, 'key987')).edges.map((edge) => edge.node)).toEqual(['item-988']);
      expect(keyed(long.slice(0, 900), 1, keyedCursorOf(123_456_789, 'gone')).edges).toEqual([]);
    });

    it('takes an offset cursor (made before cursors named their items) as a place', () => {
      expect(keyed(items, 2, cursorOf(4)).edges.map((edge) => edge.node)).toEqual(['item-5', 'item-6']);
    });

    it('an id too long to name gives an offset cursor, still usable', () => {
      const long = ['a'.repeat(3_000), 'b', 'c'];
      const page = paginate(long, { first: 1, after: null }, 100, [], (item) => item);
      expect(page.pageInfo.endCursor).toBe(cursorOf(0));
      expect(paginate(long, { first: 1, after: page.pageInfo.endCursor }, 100, [], (item) => item).edges.map((edge) => edge.node)).toEqual(['b']);
      const longest = 'k'.repeat(2_048);
      const named = paginate([longest, 'next'], { first: 1, after: null }, 100, [], (item) => item).pageInfo.endCursor!;
      expect(named).toBe(madeCursorOf(0, longest));
      expect(paginate([longest, 'next'], { first: 1, after: named }, 100, [], (item) => item).edges.map((edge) => edge.node)).toEqual(['next']);
    });

    it('a key the list holds twice (a provider listing one backup under two VMs) is paged through once, never in a loop', () => {
      // Newest first puts the two copies side by side; the second copy's cursor found the first, and the page began at the second again.
      const twice = ['item-0', 'item-1', 'item-1', 'item-1', 'item-2'];
      for (const first of [1, 2]) {
        const seen: string[] = [];
        let after: string | null = null;
        for (let pages = 0; pages < 10; pages++) {
          const page: ReturnType<typeof paginate<string>> = keyed(twice, first, after);
          seen.push(...page.edges.map((edge) => edge.node));
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect(seen, `first: ${first}`).toEqual(twice);
      }
    });

    it('a key held twice and moved: the copy nearest the place the cursor names, before it or after it', () => {
      const node = (list: readonly string[], after: string) => keyed(list, 1, after).edges.map((edge) => edge.node);
      // The second copy was at 3; an item before it left, so it is at 2 now (its first copy at 0).
      expect(node(['item-1', 'item-0', 'item-1', 'item-2'], keyedCursorOf(3, 'key1'))).toEqual(['item-2']);
      expect(node(['item-1', 'item-0', 'item-3', 'item-4', 'item-1', 'item-2'], keyedCursorOf(3, 'key1'))).toEqual(['item-2']);
      expect(node(['item-1', 'item-0', 'item-3', 'item-4', 'item-1', 'item-2'], keyedCursorOf(1, 'key1'))).toEqual(['item-0']);
      // Two copies as near: the earlier, so an item is served again rather than one skipped.
      expect(node(['item-1', 'item-0', 'item-1', 'item-2'], keyedCursorOf(1, 'key1'))).toEqual(['item-0']);
      // Two before the place, three after it: the one before.
      expect(node(['item-0', 'item-1', 'item-2', 'item-3', 'item-4', 'item-5', 'item-1', 'item-6'], keyedCursorOf(3, 'key1'))).toEqual(['item-2']);
    });

    it('finds an item that moved far down (many joined before it)', () => {
      expect(keyed(['new-a', 'new-b', 'new-c', 'item-0', 'item-1'], 1, keyedCursorOf(0, 'key0')).edges.map((edge) => edge.node)).toEqual(['item-1']);
    });

    it("looks at the cursor's own place first: a page deep in an unchanged list names only its own items (each key is a base64 of JSON)", () => {
      const long = Array.from({ length: 1_000 }, (_, index) => `item-${index}`);
      let named = 0;
      const counted = (item: string) => {
        named++;
        return item.replace('item-', 'key');
      };
      const page = paginate(long, { first: 2, after: keyedCursorOf(987, 'key987') }, 100, [], counted);
      expect(page.edges.map((edge) => edge.node)).toEqual(['item-988', 'item-989']);
      // The cursor's item and the page's last (endCursor, which names the item after it too); an edge's own cursor is named when read.
      expect(named).toBe(3);
      expect(page.edges.map((edge) => edge.cursor)).toEqual([madeCursorOf(988, 'key988', 'key989'), madeCursorOf(989, 'key989', 'key990')]);
      expect(named).toBe(7);
    });

    it('a key that moved one place down is found without naming the rest of the list (a name is a base64 of JSON; lists hold 300,000 backups)', () => {
      const long = ['item-new', ...Array.from({ length: 1_000 }, (_, index) => `item-${index}`)];
      let named = 0;
      const counted = (item: string) => {
        named++;
        return item.replace('item-', 'key');
      };
      const page = paginate(long, { first: 1, after: keyedCursorOf(5, 'key5') }, 100, [], counted);
      expect(page.edges.map((edge) => edge.node)).toEqual(['item-6']);
      // Its old place, the scan up to its new one, and the page's endCursor.
      expect(named).toBeLessThan(20);
    });

    it('pages backward: last before a cursor ends right before its item, wherever it is now', () => {
      const back = (list: readonly string[], last: number, before: string | null) => paginate(list, { last, before }, 100, [], (item) => item.replace('item-', 'key'));
      const nodes = (page: ReturnType<typeof back>) => page.edges.map((edge) => edge.node);
      expect(nodes(back(items, 3, null))).toEqual(['item-4', 'item-5', 'item-6']);
      const startCursor = back(items, 3, null).pageInfo.startCursor;
      expect(startCursor).toBe(madeCursorOf(4, 'key4', 'key5'));
      expect(nodes(back(items, 3, startCursor))).toEqual(['item-1', 'item-2', 'item-3']);
      // Items joined or left before it between pages: still right before it, nothing served twice or skipped.
      expect(nodes(back(['item-new', ...items], 3, startCursor))).toEqual(['item-1', 'item-2', 'item-3']);
      expect(nodes(back(items.filter((item) => item !== 'item-0'), 3, startCursor))).toEqual(['item-1', 'item-2', 'item-3']);
    });

    it("a before cursor whose item is now first (every item before it gone) answers an empty page, not items from its old place on", () => {
      const startCursor = paginate(items, { last: 2, before: null }, 100, [], (item) => item.replace('item-', 'key')).pageInfo.startCursor;
      expect(startCursor).toBe(madeCursorOf(5, 'key5', 'key6'));
      const page = paginate(items.slice(5), { last: 2, before: startCursor }, 100, [], (item) => item.replace('item-', 'key'));
      expect(page.edges).toEqual([]);
      expect(page.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    });

    it("the before cursor's own item gone: the page ends at its old place, which the next item now holds", () => {
      const without = items.filter((item) => item !== 'item-4');
      const page = paginate(without, { last: 2, before: keyedCursorOf(4, 'key4') }, 100, [], (item) => item.replace('item-', 'key'));
      expect(page.edges.map((edge) => edge.node)).toEqual(['item-2', 'item-3']);
      expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    });

    it('a before cursor of another type is refused naming before', () => {
      const instances = [encodeId('Instance', 'onapp-main', ['vm-1']), encodeId('Instance', 'onapp-main', ['vm-2'])];
      const backup = encodeId('Backup', 'onapp-main', ['vm-1', 'b-7']);
      expect(() => paginate(instances, { last: 1, before: keyedCursorOf(1, backup) }, 100, [], (id) => id)).toThrow(
        'before must be a cursor from a previous page of this list: it names a Backup, and this list holds Instance items',
      );
    });

    it('refuses keyed cursors it did not make with BAD_USER_INPUT', () => {
      for (const text of ['xk:1:key1', 'k:', 'k:1', 'k:1:', 'k::key1', 'k:-1:key1', 'k:1:key 1', 'k:1:key1:x=', 'k:1234567890:key1', `k:1:${'k'.repeat(2_049)}`]) {
        expect(() => keyed(items, 2, Buffer.from(text).toString('base64url')), text).toThrow(badInput);
      }
    });
  });
});

describe("a cursor of another list's type", () => {
  // As the gateway pages instances and backups: each node's key is its global id.
  const instance = (nativeId: string) => ({ id: encodeId('Instance', 'onapp-main', [nativeId]) });
  const backupId = (nativeId: string) => encodeId('Backup', 'onapp-main', ['vm-1', nativeId]);
  const instances = ['vm-1', 'vm-2', 'vm-3'].map(instance);
  const byId = (list: ReadonlyArray<{ id: string }>, after: string) => paginate(list, { first: 2, after }, 100, [], (node) => node.id);
  const cursorNaming = (place: number, key: string) => Buffer.from(`k:${place}:${key}`).toString('base64url');

  it("a backups cursor sent to instances is BAD_USER_INPUT naming the mix-up (it answered a page from the backup's place)", () => {
    expect(() => byId(instances, cursorNaming(1, backupId('b-7')))).toThrow(badInput);
    expect(() => byId(instances, cursorNaming(1, backupId('b-7')))).toThrow('after must be a cursor from a previous page of this list: it names a Backup, and this list holds Instance items');
  });

  it("a cursor of this list's type whose item is gone still answers from its old place", () => {
    expect(byId(instances, cursorNaming(1, instance('vm-gone').id)).edges.map((edge) => edge.node)).toEqual([instance('vm-2'), instance('vm-3')]);
  });

  it('where either type cannot be told (a key that is no global id, an emptied list) the old place answers, no refusal', () => {
    expect(byId(instances, cursorNaming(1, 'not-an-id')).edges.map((edge) => edge.node)).toEqual([instance('vm-2'), instance('vm-3')]);
    expect(byId([], cursorNaming(1, backupId('b-7'))).edges).toEqual([]);
    const plain = [{ id: 'plain-1' }, { id: 'plain-2' }, { id: 'plain-3' }];
    expect(byId(plain, cursorNaming(1, backupId('b-7'))).edges.map((edge) => edge.node)).toEqual([{ id: 'plain-2' }, { id: 'plain-3' }]);
  });
});
