import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';

const KEY = 'reflected-input-viewer-key-0123456789';
const MARKUP = '<img src=x onerror=alert(1)>';

/**
 * Error messages quote what the client sent (a field name, a variable's value), so a link can
 * make an answer hold markup of its choosing. Every answer, of both listeners, tells browsers
 * not to guess its type from its bytes: it is read as the JSON (or text) it is declared.
 */
describe('answers quoting client input', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'viewer', key: KEY, roles: ['viewer'] }]) });
  });
  afterAll(() => harness.close());

  it('carry X-Content-Type-Options: nosniff, on the public and the admin listener, answered or refused', async () => {
    const graphql = harness.gateway.graphqlUrl;
    const quoting = await fetch(graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query: 'query($id: ID!) { node(id: $id) { id } }', variables: { id: { markup: MARKUP } } }),
    });
    expect(await quoting.text()).toContain(MARKUP);
    const viaLink = await fetch(`${graphql}?query=${encodeURIComponent(`{ "${MARKUP}" }`)}`, { headers: { authorization: `Bearer ${KEY}`, 'apollo-require-preflight': 'true' } });
    expect(await viaLink.text()).toContain('<img');
    const answers = [
      quoting,
      viaLink,
      await fetch(graphql, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body: '{"query":"{ __typename }"}' }),
      await fetch(graphql, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
      await fetch(new URL('/no-such-path', graphql)),
      await fetch(new URL('/healthz', graphql)),
      await fetch(new URL('/metrics', harness.gateway.adminUrl)),
      await fetch(new URL('/healthz', harness.gateway.adminUrl)),
    ];
    expect(answers.map((answer) => [answer.url, answer.status, answer.headers.get('x-content-type-options')])).toEqual(answers.map((answer) => [answer.url, answer.status, 'nosniff']));
  });
});
