import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';

/**
 * Automatic persisted queries are registered per client: with Apollo's one
 * store for the server, a client sending a hash alone was answered the data
 * when any other client had sent that query, and so learned that it had.
 */
const TENANT_A = 'persisted-tenant-a-0123456789';
const TENANT_B = 'persisted-tenant-b-0123456789';
const QUERY = '{ instances(first: 2) { totalCount edges { node { name } } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Answer {
  status: number;
  data?: { instances?: { totalCount: number } } | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

describe('automatic persisted queries, per client', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: withClients([
        { name: 'tenant-a', key: TENANT_A, roles: ['viewer'] },
        { name: 'tenant-b', key: TENANT_B, roles: ['viewer'] },
      ]),
    });
  });
  afterAll(() => harness.close());

  const post = async (key: string, body: Record<string, unknown>): Promise<Answer> => {
    const response = await fetch(harness.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
  };
  const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });
  const hashAlone = (key: string, query: string) => post(key, { extensions: persisted(query) });
  const register = (key: string, query: string) => post(key, { query, extensions: persisted(query) });
  const expectNotFound = (answer: Answer) => {
    expect(answer.data ?? undefined).toBeUndefined();
    // The message Apollo Client's persisted-query link looks for before it sends the text.
    expect(answer.errors?.map((error) => error.message)).toEqual(['PersistedQueryNotFound']);
  };

  it("answers a hash alone only to the client that registered its query, never from another client's", async () => {
    expectNotFound(await hashAlone(TENANT_A, QUERY));
    const registered = await register(TENANT_A, QUERY);
    expect(registered.errors).toBeUndefined();
    expect(registered.data?.instances?.totalCount).toBeGreaterThan(0);

    const again = await hashAlone(TENANT_A, QUERY);
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(registered.data);

    // Tenant B cannot tell that tenant A sent it: it gets what a query nobody sent gets.
    expectNotFound(await hashAlone(TENANT_B, QUERY));
    expect((await register(TENANT_B, QUERY)).errors).toBeUndefined();
    expect((await hashAlone(TENANT_B, QUERY)).data).toEqual(registered.data);
  });

  it('answers a hash alone over GET too, as Apollo Client sends it', async () => {
    const query = '{ providers { id } }';
    expect((await register(TENANT_A, query)).errors).toBeUndefined();
    const search = new URLSearchParams({ extensions: JSON.stringify(persisted(query)) });
    const response = await fetch(`${harness.gateway.graphqlUrl}?${search.toString()}`, { headers: { authorization: `Bearer ${TENANT_A}`, 'apollo-require-preflight': 'true' } });
    const answer = (await response.json()) as Omit<Answer, 'status'> & { data?: { providers?: unknown[] } };
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.providers?.length).toBeGreaterThan(0);
  });

  it('keeps no query the gateway refused: a hash alone after a refused registration is not found', async () => {
    const refused = '{ instances { edges { node { noSuchField } } } }';
    const answer = await register(TENANT_A, refused);
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expectNotFound(await hashAlone(TENANT_A, refused));
  });

  it('still checks the hash of a registration against its text', async () => {
    const answer = await post(TENANT_A, { query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ other }') } } });
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]?.message).toBe('provided sha does not match query');
  });
});
