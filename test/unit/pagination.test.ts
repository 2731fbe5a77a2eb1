import { describe, expect, it } from 'vitest';
import { paginate } from '../../src/gateway/pagination.js';

const items = Array.from({ length: 7 }, (_, index) => `item-${index}`);
const cursorOf = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
const badInput = expect.objectContaining({ code: 'BAD_USER_INPUT' });

describe('pagination over a list held in full', () => {
  it('serves the first page, says there is more, and counts everything', () => {
    const page = paginate(items, 3, null, 100, []);
    expect(page.edges.map((edge) => edge.node)).toEqual(['item-0', 'item-1', 'item-2']);
    expect(page.edges.map((edge) => edge.cursor)).toEqual([cursorOf(0), cursorOf(1), cursorOf(2)]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: cursorOf(2) });
    expect(page.totalCount).toBe(7);
  });

  it('walks the whole list page by page with endCursor, each item once', () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: ReturnType<typeof paginate<string>> = paginate(items, 3, after, 100, []);
      seen.push(...page.edges.map((edge) => edge.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(items);
  });

  it('says there is no next page when the page ends exactly at the last item', () => {
    const page = paginate(items, 2, cursorOf(4), 100, []);
    expect(page.edges.map((edge) => edge.node)).toEqual(['item-5', 'item-6']);
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(paginate(items, 7, null, 100, []).pageInfo.hasNextPage).toBe(false);
    expect(paginate(items, 6, null, 100, []).pageInfo.hasNextPage).toBe(true);
  });

  it('serves 50 items when first is not given', () => {
    const many = Array.from({ length: 60 }, (_, index) => index);
    expect(paginate(many, undefined, undefined, 100, []).edges).toHaveLength(50);
    expect(paginate(many, null, null, 100, []).edges).toHaveLength(50);
  });

  it('gives an empty page, with a null endCursor, past the end', () => {
    const page = paginate(items, 3, cursorOf(6), 100, []);
    expect(page).toMatchObject({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 7 });
  });

  it('passes the provider errors through', () => {
    const errors = [{ provider: 'p', code: 'PROVIDER_UNAVAILABLE' as const, message: 'down' }];
    expect(paginate(items, 1, null, 100, errors as never).providerErrors).toBe(errors);
  });

  it('takes first from 1 to the page size cap, refusing anything else with BAD_USER_INPUT', () => {
    expect(paginate(items, 1, null, 5, []).edges).toHaveLength(1);
    expect(paginate(items, 5, null, 5, []).edges).toHaveLength(5);
    for (const first of [0, -1, 6, 2.5, Number.NaN]) expect(() => paginate(items, first, null, 5, [])).toThrow(badInput);
    expect(() => paginate(items, 6, null, 5, [])).toThrow('first must be between 1 and 5');
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
    for (const after of forged) expect(() => paginate(items, 2, after, 100, []), after).toThrow(badInput);
    expect(() => paginate(items, 2, 'garbage', 100, [])).toThrow('after must be a cursor from a previous page');
  });

  it('takes the longest cursor it makes (nine digits) and one of exactly 64 characters', () => {
    expect(paginate(items, 2, cursorOf(999_999_999), 100, []).edges).toEqual([]);
    // base64url of 48 bytes is 64 characters: "o:" and 46 digits is refused for its digits, not its length.
    const sixtyFour = Buffer.from(`o:${'0'.repeat(46)}`).toString('base64url');
    expect(sixtyFour).toHaveLength(64);
    expect(() => paginate(items, 2, sixtyFour, 100, [])).toThrow(badInput);
  });
});
