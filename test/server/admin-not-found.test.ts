import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

// The start line prints adminUrl beside url; a newcomer who posted a query to the first address
// there got a bare "not found", with nothing saying this port is not the API's.
describe('the admin listener at a path that is none of its routes', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it('says what it serves and that GraphQL is on the gateway port, for a query sent to it', async () => {
    const answer = await fetch(`${harness.gateway.adminUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ providers { id } }' }),
    });
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({
      errors: [
        {
          message:
            'not found: this is the admin listener (/metrics, /readyz, /healthz); GraphQL is at /graphql on the gateway port (listen.port; its address is logged at start as url, beside adminUrl)',
          extensions: { code: 'NOT_FOUND' },
        },
      ],
    });
  });

  it('says the same at its root', async () => {
    const answer = await fetch(`${harness.gateway.adminUrl}/`);
    expect(answer.status).toBe(404);
    expect(((await answer.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/^not found: this is the admin listener/);
  });
});
