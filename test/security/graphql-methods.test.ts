import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

/**
 * A method GraphQL over HTTP does not use reached Apollo, whose CSRF check answered 400 "refused as
 * a possible cross-site request": a client that only picked the wrong method went looking for a
 * CSRF problem. It is refused as what it is, 405 with `Allow`, before the key is read.
 */
describe('methods other than GET and POST on /graphql', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
  });
  afterAll(() => harness.close());

  for (const method of ['PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    it(`${method}: 405, Allow: GET, POST, a typed error naming the method; nothing reaches a provider`, async () => {
      harness.resetUpstreamLogs();
      const response = await fetch(harness.gateway.graphqlUrl, { method, headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' }, body: method === 'OPTIONS' ? undefined : JSON.stringify({ query: '{ instances { edges { node { id } } } }' }) });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, POST');
      const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.errors).toEqual([{ message: `method ${method} is not answered here: send GraphQL requests with POST (or GET for queries)`, extensions: { code: 'BAD_USER_INPUT' } }]);
      expect(harness.upstreamCount()).toBe(0);
    });
  }

  it('POST and GET are answered as before', async () => {
    const posted = await harness.gql<{ instances: { edges: unknown[] } }>('{ instances { edges { node { id } } } }');
    expect(posted.errors).toBeUndefined();
    const got = await fetch(`${harness.gateway.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
