import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { startSupergraph, type Supergraph } from '../helpers/supergraph.js';

/** Another team's subgraph with Relay connections of its own: the same PageInfo, shared as Federation 2 asks. */
const TICKETS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
  type Query { tickets(first: Int): TicketConnection! }
  type Ticket @key(fields: "id") { id: ID! title: String! }
  type TicketEdge { cursor: String! node: Ticket! }
  type TicketConnection { edges: [TicketEdge!]! pageInfo: PageInfo! }
  type PageInfo @shareable { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
`;

const TICKETS = [{ cursor: 'c1', node: { id: 't1', title: 'restore web1' } }];

/**
 * PageInfo was a value type only we could resolve: composing us with any
 * subgraph that defines the Relay PageInfo failed ('Non-shareable field
 * "PageInfo.hasNextPage" is resolved from multiple subgraphs'), so no
 * supergraph could hold both.
 */
describe('Apollo Federation: composed with a subgraph that has Relay connections too', () => {
  let harness: Harness;
  let supergraph: Supergraph;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    supergraph = await startSupergraph(harness, {
      name: 'tickets',
      typeDefs: TICKETS_SDL,
      resolvers: { Query: { tickets: () => ({ edges: TICKETS, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: 'c1', endCursor: 'c1' } }) } },
    });
  });
  afterAll(async () => {
    await supergraph?.close();
    await harness.close();
  });

  it("composes, and each subgraph answers its own connection's PageInfo", async () => {
    const body = await supergraph.query<{ instances: { pageInfo: Record<string, unknown>; edges: Array<{ cursor: string }> }; tickets: { pageInfo: Record<string, unknown> } }>(
      '{ instances(first: 2) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor } } tickets { pageInfo { hasNextPage startCursor } } }',
    );
    expect(body.errors).toBeUndefined();
    const [first, last] = body.data.instances.edges;
    expect(body.data.instances.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: first!.cursor, endCursor: last!.cursor });
    expect(body.data.tickets.pageInfo).toEqual({ hasNextPage: false, startCursor: 'c1' });
  });
});
