import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { eventually, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

type Node = { id: string; nativeId: string; provider: { id: string } };
type Page = { instances: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: Node }> } };
const EVERY_STATUS = 'query($first: Int, $after: String) { instances(first: $first, after: $after, filter: { protection: [PROTECTED, STALE, UNPROTECTED, UNKNOWN] }) { totalCount pageInfo { hasNextPage endCursor } edges { node { id nativeId provider { id } } } } }';
const STOPPED_OR_RUNNING = 'query($first: Int, $after: String) { instances(first: $first, after: $after, filter: { status: [RUNNING, STOPPED, SUSPENDED, BUSY, UNKNOWN] }) { totalCount pageInfo { hasNextPage endCursor } edges { node { id nativeId provider { id } } } } }';

/**
 * The instance a filtered page's cursor names is deleted between pages while an earlier account
 * changed too (lost a VM, or failed outright): its old place counted the earlier account's rows as
 * they were, so the next page started as many rows into its own account as the earlier one lost,
 * skipping instances never shown (all of the account's rest when the earlier account failed).
 */
describe('filtered pages: the cursor instance gone while an earlier account changed', () => {
  let harness: Harness;
  const onapp = () => harness.simulator('onapp').simulator as OnappSimulator;
  const zomro = () => harness.simulator('zomro').simulator as ZomroSimulator;

  beforeEach(async () => {
    harness = await startHarness({ kinds: ['zomro', 'onapp'], configure: withProviderSettings({ breakerThreshold: 100 }) });
  });
  afterEach(() => harness.close());

  const firstPage = async (query: string) => {
    const everything = (await harness.gql<Page>(query, { first: 1000 })).data!.instances.edges.map((edge) => edge.node);
    const zomroCount = everything.filter((node) => node.provider.id === 'zomro-test').length;
    const page = await harness.gql<Page>(query, { first: zomroCount + 2 });
    expect(page.errors).toBeUndefined();
    const shown = page.data!.instances.edges.map((edge) => edge.node);
    const cursorNode = shown.at(-1)!;
    expect(cursorNode.provider.id).toBe('onapp-test');
    const rest = everything.slice(shown.length).map((node) => node.id);
    return { cursor: page.data!.instances.pageInfo.endCursor!, cursorNode, rest, zomroNodes: shown.filter((node) => node.provider.id === 'zomro-test') };
  };

  for (const [list, query] of [['protection', EVERY_STATUS], ['status', STOPPED_OR_RUNNING]] as const) {
    it(`an earlier account lost a VM (${list} filter): the next page starts right after the instances shown`, async () => {
      const { cursor, cursorNode, rest, zomroNodes } = await firstPage(query);
      zomro().deleteInstance(zomroNodes[0]!.nativeId);
      onapp().vms.delete(Number(cursorNode.nativeId));
      const next = await harness.gql<Page>(query, { first: 1000, after: cursor });
      expect(next.errors).toBeUndefined();
      expect(next.data!.instances.edges.map((edge) => edge.node.id)).toEqual(rest);
    });

    it(`an earlier account failed (${list} filter): the next page starts right after the instances shown`, async () => {
      const { cursor, cursorNode, rest } = await firstPage(query);
      await harness.simulator('zomro').server.setFault('down');
      onapp().vms.delete(Number(cursorNode.nativeId));
      const next = await eventually(() => harness.gql<Page>(query, { first: 1000, after: cursor }), (answer) => (answer.data?.instances.totalCount ?? 0) > 0);
      expect(next.data!.instances.edges.map((edge) => edge.node.id)).toEqual(rest);
    });
  }
});
