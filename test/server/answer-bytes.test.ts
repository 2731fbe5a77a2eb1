import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETAILED_DASHBOARD } from '../helpers/dashboard.js';
import { type Harness, startHarness } from '../helpers/harness.js';

/**
 * Apollo's answers are sent as bytes made beside their text (src/server/json-answer.ts,
 * src/server/apollo-express.ts), not by express's `res.send` of the text: what the client
 * gets must stay what `JSON.stringify` of the answer plus Apollo's newline encodes to, with
 * its Content-Length and Content-Type. (HEAD carries no body: Apollo answers it 405.)
 */
describe('the bytes of an answer', () => {
  let harness: Harness;
  beforeAll(async () => {
    // 40 instances with 8 backups each: an answer of well over 32 K characters, so it is written in several groups.
    harness = await startHarness({ kinds: ['onapp'], simulator: { instances: 40, backupsPerInstance: 8 } });
  });
  afterAll(() => harness.close());

  const post = (body: unknown): Promise<Response> =>
    fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('a large answer is the JSON text of what it says and a newline, its Content-Length its bytes', async () => {
    const response = await post({ query: DETAILED_DASHBOARD });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(200);
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = bytes.toString('utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text))}\n`);
    const answer = JSON.parse(text) as { data: { instances: { edges: unknown[] } } };
    expect(answer.data.instances.edges).toHaveLength(40);
  });

  it('an answer with characters outside ASCII counts its UTF-8 bytes', async () => {
    // A variable's value that graphql-js quotes back in its refusal: two-byte, three-byte and four-byte characters.
    const value = 'é€😀'.repeat(2_000);
    const response = await post({ query: 'query Sized($first: Int) { instances(first: $first) { totalCount } }', variables: { first: value } });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    const text = bytes.toString('utf8');
    expect(text).toBe(`${JSON.stringify(JSON.parse(text))}\n`);
    expect(text).toContain(value.slice(0, 300));
    expect(bytes.length).toBeGreaterThan(text.length);
  });

  it('HEAD of a query: 405 with Allow: GET, POST and no body', async () => {
    const response = await fetch(`${harness.gateway.graphqlUrl}?query=${encodeURIComponent('{ instances { totalCount } }')}`, {
      method: 'HEAD',
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect(await response.text()).toBe('');
  });
});
