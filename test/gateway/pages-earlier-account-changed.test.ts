import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { eventually, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

type Node = { id: string; nativeId: string; provider: { id: string } };
type Page<Field extends string> = { [field in Field]: { totalCount: number; pageInfo: { endCursor: string | null }; edges: Array<{ node: Node }> } };
const INSTANCES = 'query($first: Int, $after: String) { list: instances(first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { id nativeId provider { id } } } } }';
const BACKUPS = 'query($first: Int, $after: String) { list: backups(first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { id nativeId provider { id } } } } }';

/**
 * The `instances` and `backups` lists as the protection filters (protection-pages-earlier-account):
 * the item a page's cursor names is gone by the next page while an earlier account lost a row or
 * failed. Its old place in the whole list counted the earlier account's rows as they were, and the
 * next page started as many rows on within the cursor's own account, past rows never shown.
 */
describe('pages: the cursor item gone while an earlier account changed', () => {
  let harness: Harness;
  const onapp = () => harness.simulator('onapp').simulator as OnappSimulator;
  const zomro = () => harness.simulator('zomro').simulator as ZomroSimulator;

  beforeEach(async () => {
    harness = await startHarness({ kinds: ['zomro', 'onapp'], configure: withProviderSettings({ breakerThreshold: 100 }) });
  });
  afterEach(() => harness.close());

  const firstPage = async (query: string) => {
    const everything = (await harness.gql<Page<'list'>>(query, { first: 1000 })).data!.list.edges.map((edge) => edge.node);
    const zomroRows = everything.filter((node) => node.provider.id === 'zomro-test');
    const page = await harness.gql<Page<'list'>>(query, { first: zomroRows.length + 2 });
    expect(page.errors).toBeUndefined();
    const shown = page.data!.list.edges.map((edge) => edge.node);
    expect(shown.at(-1)!.provider.id).toBe('onapp-test');
    return { cursor: page.data!.list.pageInfo.endCursor!, cursorNode: shown.at(-1)!, rest: everything.slice(shown.length).map((node) => node.id), zomroRows };
  };

  const goneFrom = (list: 'instances' | 'backups', node: Node): void => {
    if (list === 'instances') onapp().vms.delete(Number(node.nativeId));
    else onapp().backups.delete(Number(node.nativeId));
  };
  const earlierLoses = (list: 'instances' | 'backups', node: Node): void => {
    if (list === 'instances') zomro().deleteInstance(node.nativeId);
    else zomro().backups.delete(node.nativeId);
  };

  for (const [list, query] of [['instances', INSTANCES], ['backups', BACKUPS]] as const) {
    it(`${list}: an earlier account lost a row; the next page starts right after the rows shown`, async () => {
      const { cursor, cursorNode, rest, zomroRows } = await firstPage(query);
      earlierLoses(list, zomroRows[0]!);
      goneFrom(list, cursorNode);
      const next = await harness.gql<Page<'list'>>(query, { first: 1000, after: cursor });
      expect(next.errors).toBeUndefined();
      expect(next.data!.list.edges.map((edge) => edge.node.id)).toEqual(rest);
    });

    it(`${list}: an earlier account failed; the next page starts right after the rows shown`, async () => {
      const { cursor, cursorNode, rest } = await firstPage(query);
      await harness.simulator('zomro').server.setFault('down');
      goneFrom(list, cursorNode);
      const next = await eventually(() => harness.gql<Page<'list'>>(query, { first: 1000, after: cursor }), (answer) => (answer.data?.list.totalCount ?? 0) > 0);
      expect(next.data!.list.edges.map((edge) => edge.node.id)).toEqual(rest);
    });
  }
});
