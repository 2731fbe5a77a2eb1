import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Page {
  pageInfo: PageInfo;
  edges: Array<{ cursor: string }>;
}

const PAGE = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor }';
const LISTS: Array<[string, string]> = [
  ['instances', `query($first: Int!, $after: String) { list: instances(first: $first, after: $after) { ${PAGE} } }`],
  ['backups', `query($first: Int!, $after: String) { list: backups(first: $first, after: $after) { ${PAGE} } }`],
  [
    'instances filtered by protection',
    `query($first: Int!, $after: String) { list: instances(first: $first, after: $after, filter: { protection: [PROTECTED, STALE, UNPROTECTED, UNKNOWN] }) { ${PAGE} } }`,
  ],
];

/**
 * A Relay client (Relay's @connection, urql's relayPagination, Apollo's
 * relayStylePagination) reads the spec's four PageInfo fields; without
 * hasPreviousPage and startCursor its query did not validate.
 */
describe('PageInfo has the Relay connection spec fields on every connection', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'onapp'] });
  });
  afterAll(() => harness.close());

  it.each(LISTS)('%s: the first page has nothing before it, the next one has; startCursor names the first edge', async (_name, query) => {
    const first = await harness.gql<{ list: Page }>(query, { first: 2, after: null });
    expect(first.errors).toBeUndefined();
    const page = first.data!.list;
    expect(page.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: page.edges[0]!.cursor, endCursor: page.edges[1]!.cursor });

    const second = await harness.gql<{ list: Page }>(query, { first: 2, after: page.pageInfo.endCursor });
    const next = second.data!.list;
    expect(next.pageInfo.hasPreviousPage).toBe(true);
    expect(next.pageInfo.startCursor).toBe(next.edges[0]!.cursor);
    expect(next.pageInfo.startCursor).not.toBe(page.pageInfo.startCursor);
  });

  it("a cursor of another list's type is BAD_USER_INPUT naming the mix-up, not a page from somewhere in the list", async () => {
    const [instances, backups] = LISTS.map(([, query]) => query) as [string, string];
    const instanceCursor = (await harness.gql<{ list: Page }>(instances, { first: 1, after: null })).data!.list.pageInfo.endCursor;
    const backupCursor = (await harness.gql<{ list: Page }>(backups, { first: 1, after: null })).data!.list.pageInfo.endCursor;
    const mixedUp = await harness.gql<{ list: Page }>(instances, { first: 2, after: backupCursor });
    expect(mixedUp.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      ['BAD_USER_INPUT', 'after must be a cursor from a previous page of this list: it names a Backup, and this list holds Instance items'],
    ]);
    const reverse = await harness.gql<{ list: Page }>(backups, { first: 2, after: instanceCursor });
    expect(reverse.errors?.map((error) => error.message)).toEqual(['after must be a cursor from a previous page of this list: it names an Instance, and this list holds Backup items']);
  });

  it.each(LISTS)('%s: a page past the end has null cursors and a previous page', async (_name, query) => {
    const all = await harness.gql<{ list: Page }>(query, { first: 1000, after: null });
    const last = all.data!.list.pageInfo.endCursor;
    const past = await harness.gql<{ list: Page }>(query, { first: 2, after: last });
    expect(past.data!.list).toEqual({ pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null }, edges: [] });
  });
});
