import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, withLimits, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

/**
 * The cost and `limits.maxListArgument` counted the lists of the variables a request sent, not
 * those a variable left out takes from its default in the document: `_entities` with 500
 * representations written as `$r`'s default ran at the price of one (HTTP and WebSocket alike),
 * where the same list inline, or sent as `$r`, was refused. A default is now counted as the value
 * it is, once the variables are known; a variable sent keeps its own value (null too).
 */
describe('a list or filter written as a variable default costs what it would sent', () => {
  let harness: Harness;
  let instanceIds: string[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withLimits({ maxCost: 400, maxListArgument: 20 }) });
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 2) { edges { node { id } } } }');
    instanceIds = listed.data!.instances.edges.map((edge) => edge.node.id);
    expect(instanceIds).toHaveLength(2);
  });
  afterAll(() => harness?.close());

  const representations = (count: number) => Array.from({ length: count }, (_, index) => `{ __typename: "Instance", id: ${JSON.stringify(instanceIds[index % 2])} }`).join(', ');

  const refusedEverywhere = async (query: string, message: RegExp) => {
    harness.resetUpstreamLogs();
    const http = await harness.gql(query);
    expect(http.status).toBe(400);
    expect(errorCodes(http)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(http.errors?.[0]?.message).toMatch(message);
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const ws = await wsRun(client, query);
      expect(ws.refused).toBe(true);
      expect(ws.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(ws.errors?.[0]?.message).toMatch(message);
    } finally {
      await client.dispose();
    }
    expect(harness.upstreamCount()).toBe(0);
  };

  it('refuses more _entities representations than maxListArgument written as a default, as it does inline', async () => {
    await refusedEverywhere(`{ _entities(representations: [${representations(21)}]) { __typename } }`, /list arguments of 21 items in all > 20/);
    await refusedEverywhere(`query($r: [_Any!] = [${representations(21)}]) { _entities(representations: $r) { __typename } }`, /list arguments of 21 items in all > 20/);
  });

  it('prices each representation of a default as one run of the selection', async () => {
    // Each Instance's backups { instance { backups { id } } } costs 1 + 5 x (1 + 1 x (1 + 5 x 1)) = 36; 12 of them 432 > 400.
    const selection = '... on Instance { backups { instance { backups { id } } } }';
    await refusedEverywhere(`query($r: [_Any!] = [${representations(12)}]) { _entities(representations: $r) { ${selection} } }`, /Query cost limit exceeded: 4\d\d > 400/);
    // Sent, the variable's own value counts, not its default: one representation runs.
    const sent = await harness.gql(`query($r: [_Any!] = [${representations(12)}]) { _entities(representations: $r) { ${selection} } }`, { r: [{ __typename: 'Instance', id: instanceIds[0] }] });
    expect(sent.errors).toBeUndefined();
    expect(sent.data?._entities).toHaveLength(1);
  });

  it('prices a protection filter written as a default as the filter inline', async () => {
    // instances(first: 100) { edges { node { id } } } costs 301; judged, 501 (protection-filter-cost.test.ts).
    const query = 'query($f: InstanceFilter = { rpoHours: 24 }) { instances(first: 100, filter: $f) { edges { node { id } } } }';
    await refusedEverywhere(query, /Query cost limit exceeded: 501 > 400/);
    const sentNull = await harness.gql(query, { f: null });
    expect(sentNull.errors).toBeUndefined();
  });
});
