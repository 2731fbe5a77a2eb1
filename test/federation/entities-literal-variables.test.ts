import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

const ENTITY_BY_VARIABLE_ID = 'query($id: ID!) { _entities(representations: [{__typename: "Provider", id: $id}]) { ... on Provider { id kind } } }';

/**
 * graphql-jit turns a scalar's literal into its value once, when it compiles the
 * operation, with no variables: a variable inside an `_Any` literal (as a person
 * writes `_entities` in GraphiQL) read as missing, and the gateway refused the
 * representation as having no id while the client had sent it.
 */
describe('_entities with a variable inside a literal representation', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'onapp'] });
  });
  afterAll(() => harness.close());

  it('takes the variable value over HTTP, and a second request with another value takes its own', async () => {
    const first = await harness.gql<{ _entities: unknown[] }>(ENTITY_BY_VARIABLE_ID, { id: 'onapp-test' });
    expect(first.errors).toBeUndefined();
    expect(first.data!._entities).toEqual([{ id: 'onapp-test', kind: 'ONAPP' }]);
    // The same text is compiled once: the value must come from each request, not the first.
    const second = await harness.gql<{ _entities: unknown[] }>(ENTITY_BY_VARIABLE_ID, { id: 'zomro-test' });
    expect(second.errors).toBeUndefined();
    expect(second.data!._entities).toEqual([{ id: 'zomro-test', kind: 'ZOMRO' }]);
  });

  it('mixes literal items, items with variables deep inside, whole-item variables and a fragment', async () => {
    const answer = await harness.gql<{ _entities: unknown[] }>(
      `query($id: ID!, $typename: String!, $whole: _Any!, $extra: [String!]) {
        ...entities
      }
      fragment entities on Query {
        _entities(representations: [{__typename: "Provider", id: "zomro-test"}, {__typename: $typename, id: $id, extra: {list: $extra}}, $whole]) { ... on Provider { id kind } }
      }`,
      { id: 'onapp-test', typename: 'Provider', whole: { __typename: 'Provider', id: 'zomro-test' }, extra: ['a'] },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toEqual([
      { id: 'zomro-test', kind: 'ZOMRO' },
      { id: 'onapp-test', kind: 'ONAPP' },
      { id: 'zomro-test', kind: 'ZOMRO' },
    ]);
  });

  it("a client's variable named as the gateway would name a literal's keeps its own value", async () => {
    const answer = await harness.gql<{ _entities: unknown[]; node: unknown }>(
      'query($scalarLiteral0: ID!) { _entities(representations: [{__typename: "Provider", id: $scalarLiteral0}]) { ... on Provider { id } } node(id: $scalarLiteral0) { id } }',
      { scalarLiteral0: 'onapp-test' },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ _entities: [{ id: 'onapp-test' }], node: { id: 'onapp-test' } });
  });

  it('a variable the request leaves out is still refused as a missing id', async () => {
    const answer = await harness.gql('query($id: ID) { _entities(representations: [{__typename: "Provider", id: $id}]) { ... on Provider { id } } }', {});
    expect(answer.data?._entities ?? null).toBeNull();
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('one representation written without its list brackets takes its variables too, over HTTP and WebSocket', async () => {
    // Input coercion makes one item where a list is wanted a list of that item, as graphql-js runs it.
    const query = 'query($id: ID!) { _entities(representations: {__typename: "Provider", id: $id}) { ... on Provider { id kind } } }';
    const overHttp = await harness.gql<{ _entities: unknown[] }>(query, { id: 'onapp-test' });
    expect(overHttp.errors).toBeUndefined();
    expect(overHttp.data!._entities).toEqual([{ id: 'onapp-test', kind: 'ONAPP' }]);
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const overWs = await wsRun(client, query, { id: 'zomro-test' });
      expect(overWs.errors).toBeUndefined();
      expect(overWs.data).toEqual({ _entities: [{ id: 'zomro-test', kind: 'ZOMRO' }] });
    } finally {
      await client.dispose();
    }
  });

  it('takes the variable value over WebSocket', async () => {
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const answer = await wsRun(client, ENTITY_BY_VARIABLE_ID, { id: 'onapp-test' });
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({ _entities: [{ id: 'onapp-test', kind: 'ONAPP' }] });
    } finally {
      await client.dispose();
    }
  });
});
