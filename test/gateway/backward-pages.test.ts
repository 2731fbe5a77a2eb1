import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, errorCodes, startHarness, withLimits } from '../helpers/harness.js';

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Page {
  totalCount: number;
  pageInfo: PageInfo;
  edges: Array<{ cursor: string; node: { id: string; provider: { kind: string } } }>;
}

const PAGE = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id provider { kind } } }';
const ARGS = 'first: $first, after: $after, last: $last, before: $before';
const VARIABLES = '$first: Int, $after: String, $last: Int, $before: String';
const LISTS: Array<[string, string]> = [
  ['instances', `query(${VARIABLES}) { list: instances(${ARGS}) { ${PAGE} } }`],
  ['backups', `query(${VARIABLES}) { list: backups(${ARGS}) { ${PAGE} } }`],
  ['instances filtered by protection', `query(${VARIABLES}) { list: instances(${ARGS}, filter: { protection: [PROTECTED, STALE, UNPROTECTED, UNKNOWN] }) { ${PAGE} } }`],
];

type Args = { first?: number; after?: string | null; last?: number; before?: string | null };

/**
 * A dashboard that shows the newest page and walks back (Relay's
 * `usePaginationFragment` with `loadPrevious`, Apollo's
 * `relayStylePagination` fetching `last`/`before`) needs Relay's backward
 * half: `last` and `before`, with `hasPreviousPage` telling it when to stop.
 * The lists here are merged across four providers.
 */
describe('paging backward with last and before, across providers', () => {
  let harness: Harness;
  const ask = async (query: string, args: Args) => harness.gql<{ list: Page }>(query, args);
  const page = async (query: string, args: Args): Promise<Page> => {
    const answer = await ask(query, args);
    expect(answer.errors).toBeUndefined();
    return answer.data!.list;
  };
  const ids = (list: Page) => list.edges.map((edge) => edge.node.id);

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'onapp', 'zstack', 'danube'] });
  });
  afterAll(() => harness.close());

  it.each(LISTS)('%s: walks from the end back to the start with startCursor, each item once, in list order', async (_name, query) => {
    const all = await page(query, { first: 1000 });
    expect(new Set(all.edges.map((edge) => edge.node.provider.kind)).size).toBeGreaterThan(1);
    expect(all.totalCount).toBeGreaterThan(6);

    const pages: Page[] = [];
    let before: string | null = null;
    for (let turn = 0; turn < 50; turn++) {
      const current: Page = await page(query, { last: 3, before });
      pages.unshift(current);
      expect(current.totalCount).toBe(all.totalCount);
      expect(current.pageInfo.startCursor).toBe(current.edges[0]?.cursor ?? null);
      expect(current.pageInfo.endCursor).toBe(current.edges.at(-1)?.cursor ?? null);
      if (!current.pageInfo.hasPreviousPage) break;
      before = current.pageInfo.startCursor;
    }
    expect(pages.flatMap(ids)).toEqual(ids(all));
    // The last page (read first) has nothing after it; every page before it has.
    expect(pages.map((each) => each.pageInfo.hasNextPage)).toEqual(pages.map((_each, index) => index < pages.length - 1));
    expect(pages.map((each) => each.pageInfo.hasPreviousPage)).toEqual(pages.map((_each, index) => index > 0));
    expect(pages[0]!.edges.length).toBe(all.totalCount % 3 || 3);
  });

  it.each(LISTS)("%s: a forward page's cursors page backward to exactly the page before it", async (_name, query) => {
    const first = await page(query, { first: 3 });
    const second = await page(query, { first: 3, after: first.pageInfo.endCursor });
    expect(second.pageInfo.hasPreviousPage).toBe(true);

    const back = await page(query, { last: 3, before: second.pageInfo.startCursor });
    expect(ids(back)).toEqual(ids(first));
    expect(back.edges.map((edge) => edge.cursor)).toEqual(first.edges.map((edge) => edge.cursor));
    expect(back.pageInfo).toEqual({ ...first.pageInfo, hasNextPage: true, hasPreviousPage: false });
    // Any edge's cursor will do: the page ends right before that edge.
    const short = await page(query, { last: 5, before: second.edges[1]!.cursor });
    expect(ids(short)).toEqual([...ids(first), ids(second)[0]]);
  });

  it.each(LISTS)('%s: last larger than the list is the whole list, with nothing before or after', async (_name, query) => {
    const all = await page(query, { first: 1000 });
    const whole = await page(query, { last: 1000 });
    expect(ids(whole)).toEqual(ids(all));
    expect(whole.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: all.edges[0]!.cursor, endCursor: all.edges.at(-1)!.cursor });
    const before = await page(query, { last: 1000, before: all.edges[3]!.cursor });
    expect(ids(before)).toEqual(ids(all).slice(0, 3));
    expect(before.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it.each(LISTS)('%s: before the first item is an empty page with null cursors and items after it', async (_name, query) => {
    const first = await page(query, { first: 1 });
    const empty = await page(query, { last: 2, before: first.pageInfo.startCursor });
    expect(empty.edges).toEqual([]);
    expect(empty.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
    expect(empty.totalCount).toBe(first.totalCount);
  });

  it.each(LISTS)('%s: after and before together bound the page from both sides, Relay-style flags', async (_name, query) => {
    const all = await page(query, { first: 1000 });
    const cursors = all.edges.map((edge) => edge.cursor);
    // Between the 1st and the 7th item: the 2nd to the 6th.
    const forward = await page(query, { first: 10, after: cursors[0], before: cursors[6] });
    expect(ids(forward)).toEqual(ids(all).slice(1, 6));
    // Paging forward, hasNextPage says whether more remain before `before`: none here.
    expect(forward.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const forwardCut = await page(query, { first: 2, after: cursors[0], before: cursors[6] });
    expect(ids(forwardCut)).toEqual(ids(all).slice(1, 3));
    expect(forwardCut.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    // Paging backward, hasPreviousPage says whether more remain after `after`.
    const backward = await page(query, { last: 2, after: cursors[0], before: cursors[6] });
    expect(ids(backward)).toEqual(ids(all).slice(4, 6));
    expect(backward.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const backwardAll = await page(query, { last: 5, after: cursors[0], before: cursors[6] });
    expect(backwardAll.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    // `before` ahead of `after` leaves nothing between them.
    const crossed = await page(query, { last: 2, after: cursors[5], before: cursors[2] });
    expect(crossed.edges).toEqual([]);
  });

  it.each(LISTS)('%s: last out of 1 to the page size cap, and first with last, are BAD_USER_INPUT', async (_name, query) => {
    for (const last of [0, -1, 1001]) {
      const refused = await ask(query, { last });
      expect(refused.errors?.map((error) => [error.extensions?.code, error.message]), String(last)).toEqual([['BAD_USER_INPUT', 'last must be between 1 and 1000']]);
    }
    const both = await ask(query, { first: 2, last: 2 });
    expect(both.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      ['BAD_USER_INPUT', 'first and last cannot both be given: page forward with first and after, or backward with last and before'],
    ]);
    // Written into the query rather than sent as variables: refused alike.
    const written = await harness.gql(query.replace('$first: Int, ', '').replace('first: $first', 'first: 50'), { last: 2 });
    expect(errorCodes(written)).toEqual(['BAD_USER_INPUT']);
  });

  it("first's schema default (50) does not count as given: last alone, or first as a variable left out, pages backward", async () => {
    const all = await page(LISTS[0]![1], { first: 1000 });
    const answer = await harness.gql<{ list: Page }>(`{ list: instances(last: 2) { ${PAGE} } }`);
    expect(answer.errors).toBeUndefined();
    expect(ids(answer.data!.list)).toEqual(ids(all).slice(-2));
    const unsent = await page(LISTS[0]![1], { last: 2 });
    expect(ids(unsent)).toEqual(ids(all).slice(-2));
  });

  it.each(LISTS)('%s: a before that is no cursor is BAD_USER_INPUT, as such an after is', async (_name, query) => {
    const garbage = await ask(query, { last: 2, before: 'garbage' });
    expect(garbage.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([['BAD_USER_INPUT', 'before must be a cursor from a previous page']]);
  });

  it('a cursor of another list as before is refused naming the mix-up', async () => {
    const [instances, backups] = LISTS.map(([, query]) => query) as [string, string];
    const backupCursor = (await page(backups, { first: 1 })).pageInfo.endCursor;
    const mixedUp = await ask(instances, { last: 2, before: backupCursor });
    expect(mixedUp.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      ['BAD_USER_INPUT', 'before must be a cursor from a previous page of this list: it names a Backup, and this list holds Instance items'],
    ]);
  });
});

/** The query cost limit and the page size cap hold for `last` as for `first`, written or as a variable. */
describe('last under the query limits', () => {
  let harness: Harness;
  // 35 per instance at most: edges, node, and three lists of five rows of two fields.
  const HEAVY = (size: string) => `${size} { edges { node { backups { id name } schedules { id name } definitions { id name } } } }`;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withLimits({ maxPageSize: 100, maxCost: 2_000 }) });
  });
  afterAll(() => harness.close());

  it('a last written in the query is priced at its value, as first is', async () => {
    for (const size of ['first', 'last']) {
      const cheap = await harness.gql(`query { instances${HEAVY(`(${size}: 10)`)} }`);
      expect(cheap.errors, size).toBeUndefined();
      const dear = await harness.gql(`query { instances${HEAVY(`(${size}: 60)`)} }`);
      expect(errorCodes(dear), size).toEqual(['QUERY_TOO_COMPLEX']);
      expect(dear.errors?.[0]?.message).toBe('Query cost limit exceeded: 2101 > 2000. Ask for fewer items (first or last) or fewer nested lists.');
    }
  });

  it('a last given as a variable is priced at the page size cap, as first is', async () => {
    for (const size of ['first', 'last']) {
      const answer = await harness.gql(`query($n: Int) { instances${HEAVY(`(${size}: $n)`)} }`, { n: 2 });
      expect(errorCodes(answer), size).toEqual(['QUERY_TOO_COMPLEX']);
      expect(answer.errors?.[0]?.message).toBe('Query cost limit exceeded: 3501 > 2000. Ask for fewer items (first or last) or fewer nested lists.');
    }
  });

  it('the page size cap applies to last', async () => {
    const over = await harness.gql('query($n: Int) { instances(last: $n) { totalCount } }', { n: 101 });
    expect(over.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([['BAD_USER_INPUT', 'last must be between 1 and 100']]);
    const at = await harness.gql<{ instances: { totalCount: number } }>('query($n: Int) { instances(last: $n) { totalCount } }', { n: 100 });
    expect(at.errors).toBeUndefined();
  });
});
