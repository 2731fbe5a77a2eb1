import { describe, expect, it } from 'vitest';
import { decodeInstanceId } from '../../src/gateway/ids.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { type Harness, withHarness } from '../helpers/harness.js';

interface Row {
  id: string;
  provider: { id: string };
}
interface Connection {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: Row }>;
  providerErrors: Array<{ provider: { id: string } }>;
}
type Answer = Record<string, Connection>;

const PAGE = 'pageInfo { hasNextPage endCursor } edges { node { id provider { id } } } providerErrors { provider { id } }';
const ARGUMENTS = 'first: $first, after: $after, last: $last, before: $before';
const VARIABLES = '$first: Int, $after: String, $last: Int, $before: String';

/** The lists that page across accounts, each as the field and the filter it is asked with. */
const LISTS = [
  { name: 'instances', field: 'instances', filter: '' },
  { name: 'instances by state', field: 'instances', filter: ', filter: { status: [RUNNING, STOPPED, SUSPENDED, BUSY, UNKNOWN] }' },
  { name: 'instances by protection', field: 'instances', filter: ', filter: { protection: [PROTECTED, STALE, UNPROTECTED, UNKNOWN] }' },
  { name: 'backups', field: 'backups', filter: '' },
] as const;

const FAILING = 'onapp-test';
const LATER = 'zstack-test';

/**
 * A frontend pages a list spanning accounts (zomro, onapp, zstack, in the
 * config's order) and OnApp fails (503) between two pages, right after a page
 * that ended on its second row. The next page started at the cursor's old
 * place, which ZStack's rows had moved up into: ZStack's first row, never
 * shown, was skipped; the page before the cursor served it as well.
 */
describe('paging on after the cursor\'s account fails', () => {
  for (const list of LISTS) {
    it(`${list.name}: the next page starts at the next account's first row, the page before ends before it`, async () => {
      await withHarness({ kinds: ['zomro', 'onapp', 'zstack'] }, async (harness) => {
        const read = pageReader(harness, list.field, list.filter);
        const all = (await read({ first: 1000 })).edges.map((edge) => edge.node);
        const failing = all.flatMap((row, index) => (row.provider.id === FAILING ? [index] : []));
        expect(failing.length).toBeGreaterThanOrEqual(2);
        expect(all.some((row) => row.provider.id === LATER)).toBe(true);
        const cursorPlace = failing[1]!;

        const first = await read({ first: cursorPlace + 1 });
        expect(first.edges.at(-1)?.node.id).toBe(all[cursorPlace]!.id);
        const cursor = first.pageInfo.endCursor;

        await harness.simulator('onapp').server.setFault({ mode: 'http-503' });

        const answered = all.filter((row) => row.provider.id !== FAILING);
        const forward: Row[] = [];
        let after = cursor;
        for (let pages = 0; pages < 100; pages++) {
          const page = await read({ first: 3, after });
          expect(page.providerErrors.map((error) => error.provider.id)).toContain(FAILING);
          forward.push(...page.edges.map((edge) => edge.node));
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect(forward[0]?.provider.id).toBe(LATER);
        expect(forward.map((row) => row.id)).toEqual(all.slice(cursorPlace + 1).filter((row) => row.provider.id !== FAILING).map((row) => row.id));

        const backward = await read({ last: 1000, before: cursor });
        expect(backward.edges.map((edge) => edge.node.id)).toEqual(all.slice(0, cursorPlace).filter((row) => row.provider.id !== FAILING).map((row) => row.id));

        // Together: every row of the accounts that answered, each once.
        const served = [...first.edges.map((edge) => edge.node), ...forward].filter((row) => row.provider.id !== FAILING).map((row) => row.id);
        expect(served).toEqual(answered.map((row) => row.id));
      });
    }, 60_000);
  }

  it('a row gone while its account still answers: the next page starts at its old place, as before', async () => {
    await withHarness({ kinds: ['zomro', 'onapp', 'zstack'] }, async (harness) => {
      const read = pageReader(harness, 'instances', '');
      const all = (await read({ first: 1000 })).edges.map((edge) => edge.node);
      const onapp = all.flatMap((row, index) => (row.provider.id === FAILING ? [index] : []));
      const cursorPlace = onapp[1]!;
      const first = await read({ first: cursorPlace + 1 });
      // The cursor's own VM is deleted; the account's others still answer.
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      expect(simulator.vms.delete(Number(decodeInstanceId(all[cursorPlace]!.id).nativeId))).toBe(true);
      const next = await read({ first: 2, after: first.pageInfo.endCursor });
      expect(next.edges.map((edge) => edge.node.id)).toEqual(all.slice(cursorPlace + 1, cursorPlace + 3).map((row) => row.id));
    });
  }, 60_000);
});

function pageReader(harness: Harness, field: string, filter: string): (variables: Record<string, unknown>) => Promise<Connection> {
  const query = `query(${VARIABLES}) { ${field}(${ARGUMENTS}${filter}) { ${PAGE} } }`;
  return async (variables) => {
    const answer = await harness.gql<Answer>(query, variables);
    expect(answer.errors).toBeUndefined();
    return answer.data![field]!;
  };
}
