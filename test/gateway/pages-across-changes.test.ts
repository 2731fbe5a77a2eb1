import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeInstanceId } from '../../src/gateway/ids.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { type Harness, startHarness } from '../helpers/harness.js';

type Page = { instances: { pageInfo: { endCursor: string | null }; edges: Array<{ node: { id: string; name: string } }> } };
const INSTANCES = 'query($first: Int!, $after: String) { instances(first: $first, after: $after) { pageInfo { endCursor } edges { node { id name } } } }';

/**
 * A dashboard pages through the instances while the fleet changes: a VM
 * removed from a page already shown moved every later one up, and an offset
 * cursor then skipped the first VM of the next page without ever showing it.
 */
describe('paging through instances while the list changes', () => {
  let harness: Harness;
  let simulator: OnappSimulator;

  beforeAll(async () => {
    // No read cache (cacheTtlMs 0, the default): each page reads the list as the provider has it then.
    harness = await startHarness({ kinds: ['onapp'] });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it('a VM removed from the first page costs the second page nothing', async () => {
    const all = await harness.gql<Page>(INSTANCES, { first: 50, after: null });
    const names = all.data!.instances.edges.map(({ node }) => node.name);
    expect(names).toHaveLength(6);

    const first = await harness.gql<Page>(INSTANCES, { first: 3, after: null });
    expect(first.data!.instances.edges.map(({ node }) => node.name)).toEqual(names.slice(0, 3));
    const removed = decodeInstanceId(first.data!.instances.edges[0]!.node.id);
    expect(simulator.vms.delete(Number(removed.nativeId))).toBe(true);

    const second = await harness.gql<Page>(INSTANCES, { first: 3, after: first.data!.instances.pageInfo.endCursor });
    expect(second.errors).toBeUndefined();
    expect(second.data!.instances.edges.map(({ node }) => node.name)).toEqual(names.slice(3, 6));
  }, 60_000);
});
