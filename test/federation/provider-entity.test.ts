import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { startSupergraph, type Supergraph } from '../helpers/supergraph.js';

/** Another team's subgraph: who owns each provider account. */
const CONTRACTS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Provider @key(fields: "id") { id: ID! owner: String }
`;

/**
 * Provider was no entity: a subgraph adding a field to it failed composition
 * ('Non-shareable field "Provider.id" is resolved from multiple subgraphs'),
 * and no supergraph could join an account with another team's data.
 */
describe('Apollo Federation: Provider is an entity by its account id', () => {
  let harness: Harness;
  let supergraph: Supergraph;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'onapp'] });
    supergraph = await startSupergraph(harness, {
      name: 'contracts',
      typeDefs: CONTRACTS_SDL,
      resolvers: { Provider: { __resolveReference: (reference: { id: string }) => reference, owner: (provider: { id: string }) => `team-${provider.id}` } },
    });
  });
  afterAll(async () => {
    await supergraph?.close();
    await harness.close();
  });

  it("joins each of our accounts with the other subgraph's field", async () => {
    const body = await supergraph.query<{ providers: unknown[] }>('{ providers { id kind owner } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.providers).toEqual([
      { id: 'zomro-test', kind: 'ZOMRO', owner: 'team-zomro-test' },
      { id: 'onapp-test', kind: 'ONAPP', owner: 'team-onapp-test' },
    ]);
  });

  it('resolves references to our accounts through _entities; one to an account this gateway lacks is null', async () => {
    const answer = await harness.gql<{ _entities: unknown[] }>('query($r: [_Any!]!) { _entities(representations: $r) { ... on Provider { id kind health } } }', {
      r: [
        { __typename: 'Provider', id: 'onapp-test' },
        { __typename: 'Provider', id: 'another-gateways-account' },
      ],
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toEqual([{ id: 'onapp-test', kind: 'ONAPP', health: 'UP' }, null]);
  });
});
