import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_KINDS } from '../../src/providers/registry.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { type Harness, startHarness } from '../helpers/harness.js';

interface Row {
  id: string;
  status: string;
  provider: { id: string };
  protection: { status: string };
}
interface Page {
  instances: { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }; edges: Array<{ cursor: string; node: Row }> };
}

const NODE = 'id status provider { id } protection { status }';
const LIST = `query($filter: InstanceFilter, $first: Int, $after: String, $last: Int, $before: String) {
  instances(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${NODE} } } } }`;

/**
 * `instances(filter: { status })`: the stopped instances a restore is tried on,
 * asked of the gateway rather than picked out of the whole list by the client,
 * at every provider's simulator (each has stopped VMs).
 */
describe('instances filtered by state', () => {
  let harness: Harness;
  let everything: Row[];

  beforeAll(async () => {
    harness = await startHarness({ kinds: PROVIDER_KINDS });
    const all = await harness.gql<Page>(LIST, { first: 1000 });
    expect(all.errors).toBeUndefined();
    everything = all.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  const listed = async (variables: Record<string, unknown>): Promise<Page['instances']> => {
    const answer = await harness.gql<Page>(LIST, variables);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances;
  };

  it('lists only the instances in one of the states, at every provider, in the order of the whole list', async () => {
    const stopped = await listed({ first: 1000, filter: { status: ['STOPPED'] } });
    const expected = everything.filter((node) => node.status === 'STOPPED');
    expect(stopped.edges.map((edge) => edge.node.id)).toEqual(expected.map((node) => node.id));
    expect(stopped.totalCount).toBe(expected.length);
    expect(new Set(stopped.edges.map((edge) => edge.node.provider.id))).toEqual(new Set(PROVIDER_KINDS.map((kind) => harness.providerId(kind))));

    const either = await listed({ first: 1000, filter: { status: ['STOPPED', 'RUNNING'] } });
    expect(either.edges.map((edge) => edge.node.id)).toEqual(everything.filter((node) => node.status === 'STOPPED' || node.status === 'RUNNING').map((node) => node.id));
    expect(either.totalCount).toBeGreaterThan(stopped.totalCount);
  });

  it('takes the other arguments with it: an account, a kind', async () => {
    const zomro = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(kind: ZOMRO, filter: { status: [STOPPED] }) { edges { node { id } } } }');
    expect(zomro.errors).toBeUndefined();
    const expected = everything.filter((node) => node.status === 'STOPPED' && node.provider.id === harness.providerId('zomro')).map((node) => node.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(zomro.data!.instances.edges.map((edge) => edge.node.id)).toEqual(expected);
  });

  it('with `protection`, lists the instances that match both', async () => {
    const protections = [...new Set(everything.map((node) => node.protection.status))];
    for (const protection of protections) {
      const both = await listed({ first: 1000, filter: { status: ['STOPPED'], protection: [protection] } });
      const expected = everything.filter((node) => node.status === 'STOPPED' && node.protection.status === protection);
      expect(both.edges.map((edge) => edge.node.id), protection).toEqual(expected.map((node) => node.id));
      expect(both.totalCount, protection).toBe(expected.length);
    }
    const stoppedAnyProtection = await listed({ first: 1000, filter: { status: ['STOPPED'], protection: ['PROTECTED', 'STALE', 'UNPROTECTED', 'UNKNOWN'] } });
    expect(stoppedAnyProtection.totalCount).toBe(everything.filter((node) => node.status === 'STOPPED').length);
  });

  it('pages through the matches one at a time, forward and back, each cursor valid on the next request', async () => {
    for (const filter of [{ status: ['STOPPED'] }, { status: ['STOPPED'], protection: ['PROTECTED', 'STALE', 'UNPROTECTED', 'UNKNOWN'] }]) {
      const expected = everything.filter((node) => node.status === 'STOPPED').map((node) => node.id);
      const forward: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages <= expected.length; pages++) {
        const page: Page['instances'] = await listed({ first: 1, after, filter });
        expect(page.totalCount).toBe(expected.length);
        forward.push(...page.edges.map((edge) => edge.node.id));
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(forward).toEqual(expected);

      const backward: string[] = [];
      let before: string | null = null;
      for (let pages = 0; pages <= expected.length; pages++) {
        const page: Page['instances'] = await listed({ last: 1, before, filter });
        backward.unshift(...page.edges.map((edge) => edge.node.id));
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor;
      }
      expect(backward).toEqual(expected);
    }
  });

  it('an empty list is BAD_USER_INPUT, before any provider is asked', async () => {
    for (const filter of [{ status: [] }, { status: [], protection: ['STALE'] }]) {
      harness.resetUpstreamLogs();
      const answer = await harness.gql<Page>(LIST, { filter });
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.message).toContain('filter.status');
      expect(harness.upstreamCount()).toBe(0);
    }
  });

  it('left out or null, lists every state', async () => {
    const unfiltered = await listed({ first: 1000, filter: { status: null } });
    expect(unfiltered.edges.map((edge) => edge.node.id)).toEqual(everything.map((node) => node.id));
  });
});

/**
 * "List the stopped, restore onto this one, start it, next page": an instance
 * of the first page that leaves the filter before the second page is read
 * must not make the second page skip one that was never shown.
 */
describe('instances filtered by state: paging while states change', () => {
  let harness: Harness;

  beforeAll(async () => {
    // Fifteen ZStack VMs: the 5th, the 10th and the 15th are Stopped.
    harness = await startHarness({ kinds: ['zstack'], simulator: { instances: 15 } });
  });
  afterAll(() => harness.close());

  it('the next page starts after the last instance shown, not after as many matches', async () => {
    const STOPPED = 'query($after: String) { instances(first: 2, after: $after, filter: { status: [STOPPED] }) { totalCount pageInfo { hasNextPage endCursor } edges { node { nativeId } } } }';
    type Stopped = { instances: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: { nativeId: string } }> } };
    const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const stoppedVms = simulator.vms.filter((vm) => vm.state === 'Stopped');
    expect(stoppedVms).toHaveLength(3);

    const first = await harness.gql<Stopped>(STOPPED);
    expect(first.errors).toBeUndefined();
    expect(first.data!.instances.totalCount).toBe(3);
    const shown = first.data!.instances.edges.map((edge) => edge.node.nativeId);
    expect(shown).toHaveLength(2);
    const [notShown] = stoppedVms.filter((vm) => !shown.includes(String(vm.uuid)));

    // The operator restored onto the two VMs shown and started them: RUNNING, no longer in the filter.
    for (const vm of stoppedVms) if (shown.includes(String(vm.uuid))) vm.state = 'Running';

    const second = await harness.gql<Stopped>(STOPPED, { after: first.data!.instances.pageInfo.endCursor });
    expect(second.errors).toBeUndefined();
    expect(second.data!.instances.edges.map((edge) => edge.node.nativeId)).toEqual([notShown!.uuid]);
    expect(second.data!.instances.totalCount).toBe(1);
    expect(second.data!.instances.pageInfo.hasNextPage).toBe(false);
  });

  it('a cursor that is not one of its pages is BAD_USER_INPUT', async () => {
    const answer = await harness.gql('{ instances(first: 1, after: "bm90LWEtY3Vyc29y", filter: { status: [STOPPED] }) { totalCount } }');
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
