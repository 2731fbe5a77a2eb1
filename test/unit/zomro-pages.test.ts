import { describe, expect, it } from 'vitest';
import { ROWS_PER_TURN } from '../../src/domain/turns.js';
import { MAX_LIST_ROWS } from '../../src/providers/paging.js';
import { PAGE_SIZE, readPages } from '../../src/providers/zomro/pages.js';
import type { ZomroDoc } from '../../src/providers/zomro/wire.js';
import { UpstreamBudget } from '../../src/upstream/budget.js';
import type { UpstreamScope } from '../../src/upstream/scope.js';

// BILLmanager list pages (`p_cnt`, `p_num`, `p_elems`), wrapped as the panel sends them.

const row = (id: number | string) => ({ id: { $: String(id) }, name: { $: `row ${id}` } });
const unwrapped = (id: number | string) => ({ id: String(id), name: `row ${id}` });
const range = (from: number, count: number) => Array.from({ length: count }, (_, index) => from + index);
const doc = (ids: Array<number | string>, count?: unknown): ZomroDoc => ({ elem: ids.map(row), ...(count === undefined ? {} : { p_elems: count }) });

/** A panel holding `ids`, answering pages of `size` at most (its own cap on `p_cnt`), recording what it was asked. */
function panel(ids: number[], { cap = Infinity, counted = true }: { cap?: number; counted?: boolean } = {}) {
  const asked: Array<[number, number]> = [];
  const page = async (number: number, size: number): Promise<ZomroDoc> => {
    asked.push([number, size]);
    const rows = Math.min(size, cap);
    return doc(ids.slice((number - 1) * rows, number * rows), counted ? { $: String(ids.length) } : undefined);
  };
  return { asked, page };
}

const scope = (limit = 1_000): UpstreamScope => ({ requestId: 'r', budget: new UpstreamBudget(limit) });

describe('Zomro list pages', () => {
  it('reads a list shorter than a page in one call', async () => {
    const { asked, page } = panel(range(1, 3));
    expect(await readPages(page, 'z', scope())).toEqual(range(1, 3).map(unwrapped));
    expect(asked).toEqual([[1, PAGE_SIZE]]);
    expect(PAGE_SIZE).toBe(100);
  });

  it('reads an empty list in one call, counted or not', async () => {
    for (const counted of [true, false]) {
      const { asked, page } = panel([], { counted });
      expect(await readPages(page, 'z', scope())).toEqual([]);
      expect(asked).toHaveLength(1);
    }
  });

  it('with a count, asks for every other page at once, each row once, in order', async () => {
    const { asked, page } = panel(range(1, 250));
    const rows = await readPages(page, 'z', scope());
    expect(rows.map((item) => item.id)).toEqual(range(1, 250).map(String));
    expect(asked).toEqual([
      [1, 100],
      [2, 100],
      [3, 100],
    ]);
  });

  it('with a count of exactly a page, asks for no second page', async () => {
    const { asked, page } = panel(range(1, 100));
    expect(await readPages(page, 'z', scope())).toHaveLength(100);
    expect(asked).toHaveLength(1);
  });

  it('reads the rest in pages of the panel’s own size when it answers fewer rows than asked', async () => {
    const { asked, page } = panel(range(1, 95), { cap: 20 });
    const rows = await readPages(page, 'z', scope());
    expect(rows.map((item) => item.id)).toEqual(range(1, 95).map(String));
    expect(asked).toEqual([[1, 100], ...range(2, 4).map((number) => [number, 20])]);
  });

  it('reads a count given as a plain number, and an empty count as none', async () => {
    const counted = panel(range(1, 150));
    const plain = async (number: number, size: number) => ({ ...(await counted.page(number, size)), p_elems: 150 });
    expect(await readPages(plain, 'z', scope())).toHaveLength(150);
    expect(counted.asked).toHaveLength(2);
    const empty = panel(range(1, 150), { counted: false });
    const blank = async (number: number, size: number) => ({ ...(await empty.page(number, size)), p_elems: { $: '' } });
    expect(await readPages(blank, 'z', scope())).toHaveLength(150);
  });

  it('reads the rest in pages of the size asked when the first page holds no row but the count says there are some', async () => {
    const asked: Array<[number, number]> = [];
    const page = async (number: number, size: number) => (asked.push([number, size]), doc(number === 1 ? [] : range(number * 100, number === 3 ? 50 : 100), { $: '250' }));
    expect(await readPages(page, 'z', scope())).toHaveLength(150);
    expect(asked).toEqual([
      [1, 100],
      [2, 100],
      [3, 100],
    ]);
  });

  it('asks for the rest in pages of the size asked when the first page holds more rows than asked', async () => {
    const asked: Array<[number, number]> = [];
    const page = async (number: number, size: number) => (asked.push([number, size]), doc(range(number * 1000, number === 1 ? 150 : size), { $: '400' }));
    expect(await readPages(page, 'z', scope())).toHaveLength(450);
    expect(asked).toEqual([
      [1, 100],
      [2, 100],
      [3, 100],
      [4, 100],
    ]);
  });

  it('asks for no other page when the first holds the whole counted list (a panel ignoring p_cnt)', async () => {
    const asked: number[] = [];
    const page = async (number: number) => (asked.push(number), doc(range(1, 150), { $: '150' }));
    expect(await readPages(page, 'z', scope())).toHaveLength(150);
    expect(asked).toEqual([1]);
  });

  it('reads every page of a counted list for work no request caused (no budget)', async () => {
    const { asked, page } = panel(range(1, 250));
    expect(await readPages(page, 'z', { requestId: undefined })).toHaveLength(250);
    expect(asked).toHaveLength(3);
  });

  it.each([['-1'], ['1.5'], ['many'], ['9007199254740993']])('refuses a count that is no count (%s) as an invalid answer', async (count) => {
    const page = async () => doc([1], { $: count });
    await expect(readPages(page, 'z', scope())).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      message: 'provider z sent a list count that is no count',
      details: { provider: 'z', providerCode: 'INVALID_RESPONSE' },
    });
  });

  it('takes a count of 0 with rows as the rows it sent', async () => {
    const page = async () => doc([1, 2], { $: '0' });
    expect(await readPages(page, 'z', scope())).toEqual([unwrapped(1), unwrapped(2)]);
  });

  it('spends nothing past the request’s upstream budget: a count needing more pages is refused before any is asked', async () => {
    const { asked, page } = panel(range(1, 500));
    await expect(readPages(page, 'z', scope(3))).rejects.toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(asked).toHaveLength(1);
    const enough = panel(range(1, 500));
    expect(await readPages(enough.page, 'z', scope(4))).toHaveLength(500);
  });

  it('refuses a count past the list size limit before asking for another page', async () => {
    const { asked, page } = panel(range(1, 100));
    const huge = async (number: number, size: number) => ({ ...(await page(number, size)), p_elems: { $: String(MAX_LIST_ROWS + 1) } });
    await expect(readPages(huge, 'z', { requestId: undefined })).rejects.toMatchObject({ code: 'PROVIDER_ERROR', details: { providerCode: 'TOO_MANY_ROWS' } });
    expect(asked).toHaveLength(1);
  });

  it('refuses pages far longer than asked as they come, whatever the count said', async () => {
    const big = Array.from({ length: MAX_LIST_ROWS }, (_, index) => ({ id: String(index) }));
    let asked = 0;
    // Page 2 alone takes the list past the limit; page 3 never answers, and is not waited for.
    const page = (number: number): Promise<ZomroDoc> => {
      asked += 1;
      if (number === 3) return new Promise<never>(() => {});
      return Promise.resolve(number === 1 ? doc(range(1, 100), { $: '300' }) : { elem: big, p_elems: { $: '300' } });
    };
    await expect(readPages(page, 'z', scope())).rejects.toMatchObject({ code: 'PROVIDER_ERROR', details: { providerCode: 'TOO_MANY_ROWS' } });
    expect(asked).toBe(3);
  });

  it('without a count, reads page after page while they come back full', async () => {
    const { asked, page } = panel(range(1, 230), { counted: false });
    const rows = await readPages(page, 'z', scope());
    expect(rows.map((item) => item.id)).toEqual(range(1, 230).map(String));
    expect(asked).toEqual([
      [1, 100],
      [2, 100],
      [3, 100],
    ]);
  });

  it('without a count, stops at a page repeating the one before (a panel that does not page)', async () => {
    const asked: number[] = [];
    const page = async (number: number) => (asked.push(number), doc(range(1, 100)));
    expect(await readPages(page, 'z', scope())).toHaveLength(100);
    expect(asked).toEqual([1, 2]);
  });

  it('without a count, stops at a page with no row not seen before (a panel going round two pages)', async () => {
    const asked: number[] = [];
    const page = async (number: number) => (asked.push(number), doc(number % 2 === 1 ? range(1, 100) : range(101, 100)));
    const rows = await readPages(page, 'z', scope());
    expect(rows.map((item) => item.id)).toEqual(range(1, 200).map(String));
    expect(asked).toEqual([1, 2, 3]);
  });

  it('keeps a row once however many pages repeat it, and keeps rows without an id', async () => {
    const page = async (number: number) => (number === 1 ? doc([1, 2, 3], { $: '6' }) : { elem: [row(3), row(4), { name: { $: 'no id' } }, { name: { $: 'no id' } }], p_elems: { $: '6' } });
    const rows = await readPages(page, 'z', scope());
    expect(rows).toEqual([unwrapped(1), unwrapped(2), unwrapped(3), unwrapped(4), { name: 'no id' }, { name: 'no id' }]);
  });

  it('reads a numeric id as its text: 7 and "7" are one row', async () => {
    const page = async (number: number) => (number === 1 ? { elem: [{ id: 7 }, { id: 8 }], p_elems: 4 } : { elem: [{ id: '7' }, { id: 9 }], p_elems: 4 });
    expect(await readPages(page, 'z', scope())).toEqual([{ id: 7 }, { id: 8 }, { id: 9 }]);
  });

  it('gives the event loop a turn while it unwraps a page far longer than asked (a panel ignoring p_cnt)', async () => {
    const ids = range(1, 3 * ROWS_PER_TURN);
    const page = async (): Promise<ZomroDoc> => doc(ids, { $: String(ids.length) });
    const order: string[] = [];
    setImmediate(() => order.push('turn'));
    const rows = await readPages(page, 'z', scope());
    order.push('rows');
    expect(rows).toHaveLength(ids.length);
    expect(rows[ids.length - 1]).toEqual(unwrapped(ids.length));
    // Unwrapped in one go, every other client waited for the whole page: the turn came after.
    expect(order).toEqual(['turn', 'rows']);
  });
});
