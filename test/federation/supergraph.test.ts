import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { startSupergraph, type Supergraph } from '../helpers/supergraph.js';

/** A second subgraph, as another team would run it: billing adds a cost to our Instance. */
const BILLING_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Instance @key(fields: "id") {
    id: ID!
    monthlyCost: Float
  }
`;

describe('Apollo Federation: Backup Graph as a subgraph of a supergraph', () => {
  let harness: Harness;
  let supergraph: Supergraph;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], simulator: { instances: 50 } });
    supergraph = await startSupergraph(harness, {
      name: 'billing',
      typeDefs: BILLING_SDL,
      resolvers: { Instance: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }), monthlyCost: (instance: { id: string }) => instance.id.length / 10 } },
    });
  });
  afterAll(async () => {
    await supergraph?.close();
    await harness.close();
  });

  it('joins our instances and their backups with billing data in one query', async () => {
    const body = await supergraph.query<{ instances: { edges: Array<{ node: { id: string; name: string; monthlyCost: number; backups: unknown[] } }> } }>('{ instances(first: 3) { edges { node { id name monthlyCost backups { status } } } } }');
    expect(body.errors).toBeUndefined();
    const nodes = body.data.instances.edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(3);
    for (const node of nodes) {
      expect(node.monthlyCost).toBe(node.id.length / 10);
      expect(node.name).toEqual(expect.any(String));
      expect(Array.isArray(node.backups)).toBe(true);
    }
  });

  it('resolves many entity references through the same loaders: no more upstream calls than a plain query', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 100) { edges { node { id } } } }');
    const ids = list.data!.instances.edges.map((edge) => edge.node.id);
    expect(ids).toHaveLength(50);
    harness.resetUpstreamLogs();
    await harness.gql('{ instances(first: 100) { edges { node { name backups { id } } } } }');
    const plain = harness.upstreamCount();
    harness.resetUpstreamLogs();
    const representations = [...ids, ...ids].map((id) => ({ __typename: 'Instance', id }));
    const entities = await harness.gql<{ _entities: Array<{ name: string; backups: unknown[] } | null> }>(
      'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Instance { name backups { id } } } }',
      { representations },
    );
    expect(entities.errors).toBeUndefined();
    expect(entities.data?._entities).toHaveLength(100);
    expect(entities.data?._entities.every((entity) => entity !== null)).toBe(true);
    expect(harness.upstreamCount()).toBe(plain);
    expect(harness.simulator('zomro').server.count('instances.fleio_bckps')).toBe(50);
  });
});

describe('_entities with representations that are no entity reference', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  const ENTITIES = 'query($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }';
  const deep = (levels: number): unknown => (levels === 0 ? {} : { __typename: deep(levels - 1) });

  it.each<[string, unknown]>([
    ['a type the schema lacks', { __typename: 'Nope', id: 'x' }],
    ['the Query type', { __typename: 'Query', id: 'x' }],
    ['a type that is no entity', { __typename: 'PageInfo', id: 'x' }],
    ['__proto__', { __typename: '__proto__', id: 'x' }],
    ['no __typename', { id: 'x' }],
    ['an id that is not a string', { __typename: 'Instance', id: 5 }],
    ['a string', 'Instance'],
    ['a number', 5],
    ['an empty object', {}],
    // Deeper than 200 the variable is refused before any resolver reads it (test/security/wide-variable-objects.test.ts).
    ['a deeply nested object', deep(150)],
  ])('%s: BAD_USER_INPUT, logged as the client\'s mistake, no upstream call', async (_name, representation) => {
    harness.resetUpstreamLogs();
    const logged = harness.logs.length;
    const answer = await harness.gql<{ _entities: unknown }>(ENTITIES, { representations: [{ __typename: 'Instance', id: 'SW5zdGFuY2U' }, representation] });
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    // Which one, and what to send: with a router's hundred representations "each must be" left the search to the client.
    expect(answer.errors?.[0]?.message).toBe('_entities(representations:): representations[1] is not a reference to an entity this subgraph resolves: send an object with its __typename (Backup, BackupDefinition, BackupSchedule, Instance, Operation or Provider) and a string id.');
    expect(harness.upstreamCount()).toBe(0);
    const errorLines = harness.logs.slice(logged).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(errorLines).toEqual([]);
  });

  it('a well-formed reference naming nothing (gone, or of an account this gateway lacks) is null alone; one whose provider fails is null with its error', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 1) { edges { node { id } } } }');
    const [id] = list.data!.instances.edges.map((edge) => edge.node.id);
    const idOf = (parts: string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    const representations = [
      { __typename: 'Instance', id: idOf(['I', 'zomro-test', 'no-such-vm']) },
      { __typename: 'Instance', id: idOf(['I', 'other-gateways-account', '1']) },
      { __typename: 'Backup', id: idOf(['B', 'other-gateways-account', '1', '2']) },
      { __typename: 'Instance', id },
    ];
    const found = await harness.gql<{ _entities: Array<{ __typename: string } | null> }>(ENTITIES, { representations });
    expect(found.errors).toBeUndefined();
    expect(found.data?._entities).toEqual([null, null, null, { __typename: 'Instance' }]);

    await harness.simulator('zomro').server.setFault({ mode: 'http-500' });
    try {
      const failed = await harness.gql<{ _entities: unknown[] }>(ENTITIES, { representations: [{ __typename: 'Instance', id }] });
      expect(failed.data?._entities).toEqual([null]);
      expect(failed.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.provider])).toEqual([[['_entities', 0], 'PROVIDER_UNAVAILABLE', 'zomro-test']]);
    } finally {
      await harness.simulator('zomro').server.clearFault();
      // The breaker the failure opened lets a test request through 200 ms later: the tests after this one need it closed.
      await eventually(() => harness.gql('{ instances(first: 1) { totalCount } }'), (answer) => answer.errors === undefined);
    }
  });

  it('answers one item per reference, in order, with null and an error at its own index where a reference names nothing', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 2) { edges { node { id } } } }');
    const [id] = list.data!.instances.edges.map((edge) => edge.node.id);
    // A wrong-type or malformed id fails at once, before the good reference is read: the failed item must still sit at its own index.
    for (const [representations, nulls] of [
      [[{ __typename: 'Instance', id }, { __typename: 'Backup', id }], [1]],
      [[{ __typename: 'Instance', id }, { __typename: 'Instance', id }, { __typename: 'Instance', id: 'bad' }], [2]],
      [[{ __typename: 'Backup', id }, { __typename: 'Instance', id }, { __typename: 'Instance', id: 'bad' }, { __typename: 'Instance', id }], [0, 2]],
    ] as const) {
      const answer = await harness.gql<{ _entities: Array<{ __typename: string } | null> }>(ENTITIES, { representations });
      expect(answer.data?._entities).toEqual(representations.map((_, index) => ((nulls as readonly number[]).includes(index) ? null : { __typename: 'Instance' })));
      expect(answer.errors?.map((error) => [error.path, error.extensions?.code])).toEqual(nulls.map((index) => [['_entities', index], 'BAD_USER_INPUT']));
    }
  });
});
