import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';

/**
 * Callers without a key register persisted queries by address, and every address they hold is a
 * new client: in the one table of registrations and texts a flood of them pushed every keyed
 * client's queries out, a round trip each (PersistedQueryNotFound, then the text again). They
 * register in tables of their own now. The bounds are made small (the harness's
 * `persistedQueryBounds`) so the flood takes a few dozen requests, not 20,000.
 */
const KEY = 'persisted-flood-tenant-0123456789';
const KEYED_QUERY = '{ instances(first: 2) { totalCount } }';
const REGISTRATIONS = 20;
const ANONYMOUS_REGISTRATIONS = 10;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string }>;
}

describe('persisted queries of callers without a key, apart from keyed clients', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      persistedQueryBounds: { registrations: REGISTRATIONS, anonymousRegistrations: ANONYMOUS_REGISTRATIONS },
      configure: [
        withClients([{ name: 'tenant', key: KEY, roles: ['viewer'] }]),
        // The flood's requests come from loopback: each names its address in X-Forwarded-For, as a proxy would.
        (config) => ({ ...config, allowAnonymous: true, listen: { ...(config.listen as object), trustedProxies: ['loopback'] } }),
      ],
    });
  });
  afterAll(() => harness.close());

  const post = async (headers: Record<string, string>, body: Record<string, unknown>): Promise<Answer> => {
    const response = await fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return (await response.json()) as Answer;
  };
  const keyed = { authorization: `Bearer ${KEY}` };

  it("keeps a keyed client's hash answering after callers without a key registered more queries than both bounds", async () => {
    const registered = await post(keyed, { query: KEYED_QUERY, extensions: persisted(KEYED_QUERY) });
    expect(registered.errors).toBeUndefined();

    // Past the keyed bound as well: in one table, the keyed client's entry was the least recently used.
    for (let n = 0; n < REGISTRATIONS + ANONYMOUS_REGISTRATIONS; n += 1) {
      const query = `query Flood${n} { __typename }`;
      const answer = await post({ 'x-forwarded-for': `203.0.113.${n + 1}` }, { query, extensions: persisted(query) });
      expect(answer.errors).toBeUndefined();
    }

    const again = await post(keyed, { extensions: persisted(KEYED_QUERY) });
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(registered.data);
  });

  it('bounds callers without a key by their own bound: the oldest of their registrations is let go past it', async () => {
    const first = 'query Oldest { __typename }';
    const from = { 'x-forwarded-for': '198.51.100.1' };
    expect((await post(from, { query: first, extensions: persisted(first) })).errors).toBeUndefined();
    expect((await post(from, { extensions: persisted(first) })).errors).toBeUndefined();
    for (let n = 0; n < ANONYMOUS_REGISTRATIONS; n += 1) {
      const query = `query Later${n} { __typename }`;
      expect((await post(from, { query, extensions: persisted(query) })).errors).toBeUndefined();
    }
    expect((await post(from, { extensions: persisted(first) })).errors?.map((error) => error.message)).toEqual(['PersistedQueryNotFound']);
  });
});
