import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

/**
 * Automatic persisted queries are registered per client; callers without a key share one
 * principal, and were one client: an anonymous caller sending a hash alone was answered the data
 * when any other anonymous caller had sent that query (a query naming an id it looked for), and so
 * learned that one had. They are registered by address now, as their idempotency keys are.
 */
const QUERY = '{ instances(first: 2) { totalCount } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = { persistedQuery: { version: 1, sha256Hash: sha256(QUERY) } };

interface Answer {
  data?: { instances?: { totalCount: number } } | null;
  errors?: Array<{ message: string }>;
}

describe('automatic persisted queries of callers without a key, per address', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      // The test's requests come from loopback: each names its client in X-Forwarded-For, as a proxy would.
      configure: (config) => ({ ...config, allowAnonymous: true, listen: { ...(config.listen as object), trustedProxies: ['loopback'] } }),
    });
  });
  afterAll(() => harness.close());

  const postFrom = async (address: string, body: Record<string, unknown>): Promise<Answer> => {
    const response = await fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify(body) });
    return (await response.json()) as Answer;
  };

  it("answers a hash alone to the address that registered its query, and not to another anonymous caller's", async () => {
    const registered = await postFrom('203.0.113.7', { query: QUERY, extensions: persisted });
    expect(registered.errors).toBeUndefined();
    const again = await postFrom('203.0.113.7', { extensions: persisted });
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(registered.data);

    const other = await postFrom('198.51.100.9', { extensions: persisted });
    expect(other.data ?? undefined).toBeUndefined();
    expect(other.errors?.map((error) => error.message)).toEqual(['PersistedQueryNotFound']);
  });
});
