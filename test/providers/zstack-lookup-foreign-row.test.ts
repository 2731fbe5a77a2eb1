import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimRequest, SimResponse } from '../../src/simulator/server.js';
import { startHarness, type Harness } from '../helpers/harness.js';

type Handle = (request: SimRequest) => SimResponse | Promise<SimResponse>;
const HOSTILE_UUID = 'u'.repeat(2000);

/**
 * ZStack looks instances up by uuid (`vm-instances?q=uuid?=a,b`). A node that ignored the
 * condition and answered a row whose uuid the gateway cannot read back (2,000 characters) failed
 * the lookup of every VM asked in that batch (PROVIDER_ERROR INVALID_RESPONSE), though that row
 * can be none of them. It is nobody's answer: the asked VM is answered, with no error.
 */
describe('zstack: a lookup by uuid answered with an unreadable row beside the one asked', () => {
  let harness: Harness;
  let ids: string[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 3) { edges { node { id } } } }');
    ids = listed.data!.instances.edges.map((edge) => edge.node.id);
    const target = harness.simulator('zstack').simulator as unknown as { handle: Handle };
    const handle = target.handle.bind(target);
    target.handle = async (request) => {
      const answer = await handle(request);
      const json = answer.json as { inventories?: Array<Record<string, unknown>> } | null | undefined;
      if (request.method !== 'GET' || !request.rawPath.includes('vm-instances') || !Array.isArray(json?.inventories) || json.inventories.length === 0) return answer;
      return { ...answer, json: { ...json, inventories: [{ ...json.inventories[0], uuid: HOSTILE_UUID }, ...json.inventories] } };
    };
  });
  afterAll(() => harness.close());

  it('answers the VMs asked, with no error and never the row', async () => {
    const answer = await harness.gql<{ a: { id: string } | null; b: { id: string } | null }>('query($a: ID!, $b: ID!) { a: instance(id: $a) { id } b: instance(id: $b) { id } }', { a: ids[0], b: ids[1] });
    expect(answer.errors).toBeUndefined();
    expect([answer.data?.a?.id, answer.data?.b?.id]).toEqual([ids[0], ids[1]]);
    expect(answer.text).not.toContain(HOSTILE_UUID.slice(0, 600));
  });
});
