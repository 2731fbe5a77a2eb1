import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

const VIEWER = 'syntax-hint-viewer-key-0123456789';

/** A query missing its last `}` read "Syntax Error: Expected Name, found <EOF>." and nothing of the bracket. */
describe('a document that ends with a bracket left open, over HTTP and WebSocket', () => {
  let harness: Harness;
  const clients: Client[] = [];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: [withClients([{ name: 'dashboard', key: VIEWER, roles: ['viewer'] }], { introspection: false })] });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await harness.close();
  });
  const overWs = (query: string) => {
    const client = wsClient(harness.gateway.graphqlUrl, VIEWER);
    clients.push(client);
    return wsRun(client, query);
  };

  it('names the bracket never closed and where it opened, the code still BAD_USER_INPUT', async () => {
    const query = '{ providers { id name }';
    const expected = 'Syntax Error: Expected Name, found <EOF>. The { at line 1, column 1 is never closed: is its } missing?';
    for (const answer of [await harness.gql(query, {}, { key: VIEWER }), await overWs(query)]) {
      expect(answer.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([[expected, 'BAD_USER_INPUT']]);
    }
  });

  it('names the innermost one, a ( or [ too, on its own line', async () => {
    const answer = await harness.gql('query {\n  instances(first: 5', {}, { key: VIEWER });
    expect(answer.errors?.[0]?.message).toBe('Syntax Error: Expected Name, found <EOF>. The ( at line 2, column 12 is never closed: is its ) missing?');
  });

  it('guard: says nothing more of a syntax error with every bracket closed', async () => {
    const answer = await harness.gql('{ providers { id } } }', {}, { key: VIEWER });
    expect(answer.errors?.[0]?.message).toBe('Syntax Error: Unexpected "}".');
  });
});
