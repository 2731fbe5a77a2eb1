import { createHash } from 'node:crypto';
import { ApolloServer, type GraphQLRequest } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLContext } from '../../src/graphql/context.js';
import type { Principal } from '../../src/gateway/principal.js';
import { ClientPersistedQueries } from '../../src/graphql/persisted-queries.js';

/**
 * Automatic persisted queries per client, through Apollo's own protocol (executeOperation, no
 * HTTP): test/security/persisted-queries-per-client.test.ts holds the same over the gateway, with
 * its schema and keys; this one is the store on its own, as the mutate run reaches it.
 */
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });
/** A request's context as the store reads it: whose the caller's registrations are (its key's identity, as RequestReads sets for a caller with a key). */
const contextOf = (keyId: string) => ({ reads: { principal: { keyId }, idempotencyOwner: keyId } }) as unknown as GraphQLContext;

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<{ message: string }>;
}

describe('automatic persisted queries, per client', () => {
  let server: ApolloServer<GraphQLContext>;
  beforeAll(async () => {
    const persistedQueries = new ClientPersistedQueries();
    server = new ApolloServer<GraphQLContext>({
      typeDefs: 'type Query { hello: String, other: Int, refused: String }',
      resolvers: { Query: { hello: () => 'world', other: () => 7 } },
      persistedQueries: { cache: persistedQueries.apolloCache },
      plugins: [
        persistedQueries.plugin,
        // As the gateway's cost and introspection checks do: a refusal when the operation is resolved.
        {
          requestDidStart: async () => ({
            didResolveOperation: async ({ document }) => {
              if (JSON.stringify(document).includes('"refused"')) throw new Error('refused by a check');
            },
          }),
        },
      ],
    });
    await server.start();
  });
  afterAll(() => server.stop());

  const ask = async (client: string, request: GraphQLRequest): Promise<Answer> => {
    const response = await server.executeOperation(request, { contextValue: contextOf(client) });
    if (response.body.kind !== 'single') throw new Error('an incremental answer');
    return response.body.singleResult as Answer;
  };
  const register = (client: string, query: string) => ask(client, { query, extensions: persisted(query) });
  const hashAlone = (client: string, query: string) => ask(client, { extensions: persisted(query) });
  const messages = (answer: Answer) => answer.errors?.map((error) => error.message);

  it('answers a hash alone to the client that registered its query, and to no other', async () => {
    // Shorter than its hash: the text's size in the store is counted from both.
    const query = '{hello}';
    expect(messages(await hashAlone('client-a', query))).toEqual(['PersistedQueryNotFound']);
    expect(await register('client-a', query)).toEqual({ data: { hello: 'world' } });
    expect(await hashAlone('client-a', query)).toEqual({ data: { hello: 'world' } });
    expect(messages(await hashAlone('client-b', query))).toEqual(['PersistedQueryNotFound']);
    expect(await register('client-b', query)).toEqual({ data: { hello: 'world' } });
    expect(await hashAlone('client-b', query)).toEqual({ data: { hello: 'world' } });
  });

  it('registers only a query sent with its hash: one sent plainly, or refused by a check, is not found by its hash', async () => {
    const plain = '{ other }';
    expect(await ask('client-a', { query: plain })).toEqual({ data: { other: 7 } });
    expect(messages(await hashAlone('client-a', plain))).toEqual(['PersistedQueryNotFound']);
    const refused = '{ refused }';
    expect(messages(await register('client-a', refused))).toEqual(['refused by a check']);
    expect(messages(await hashAlone('client-a', refused))).toEqual(['PersistedQueryNotFound']);
  });

  it("checks a registration's hash against its own text, even when the hash is of a query the client registered", async () => {
    const registered = '{ hello other }';
    expect((await register('client-a', registered)).errors).toBeUndefined();
    const answer = await ask('client-a', { query: '{ other }', extensions: persisted(registered) });
    expect(answer.data ?? undefined).toBeUndefined();
    expect(messages(answer)).toEqual(['provided sha does not match query']);
  });

  it("leaves a request with no query and a malformed or missing persistedQuery to Apollo's own answer, never a crash", async () => {
    const unsupported = ['Unsupported persisted query version'];
    expect(messages(await ask('client-a', { extensions: { persistedQuery: 'v1' } }))).toEqual(unsupported);
    expect(messages(await ask('client-a', { extensions: { persistedQuery: { version: 2 } } }))).toEqual(unsupported);
    const noQuery = ['GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.'];
    expect(messages(await ask('client-a', { extensions: { persistedQuery: null } }))).toEqual(noQuery);
    expect(messages(await ask('client-a', {}))).toEqual(noQuery);
    // Over HTTP a hash that is no string is refused in front of Apollo (src/server/persisted-query-guard.ts); the plugin alone never crashes on it.
    expect(messages(await ask('client-a', { extensions: { persistedQuery: { version: 1, sha256Hash: 17 } } }))).toEqual(['PersistedQueryNotFound']);
  });
});

describe('automatic persisted queries of callers without a key, in tables of their own', () => {
  const anonymous = { keyId: 'anonymous' } as unknown as Principal;
  const keyed = { keyId: 'key-a' } as unknown as Principal;

  it("never pushes a keyed client's registration out, and is bounded by its own bound", () => {
    const store = new ClientPersistedQueries({ registrations: 2, anonymousRegistrations: 1 });
    store.register(keyed, 'key-a', 'hash-k', '{ k }');
    store.register(anonymous, 'address 203.0.113.1', 'hash-1', '{ a1 }');
    store.register(anonymous, 'address 203.0.113.2', 'hash-2', '{ a2 }');
    store.register(anonymous, 'address 203.0.113.3', 'hash-3', '{ a3 }');
    expect(store.textFor(keyed, 'key-a', 'hash-k')).toBe('{ k }');
    expect(store.textFor(anonymous, 'address 203.0.113.3', 'hash-3')).toBe('{ a3 }');
    expect(store.textFor(anonymous, 'address 203.0.113.2', 'hash-2')).toBeUndefined();
    // The tables are apart: a keyed registration is not found by a caller without a key of the same owner name, nor the reverse.
    expect(store.textFor(anonymous, 'key-a', 'hash-k')).toBeUndefined();
    expect(store.textFor(keyed, 'address 203.0.113.3', 'hash-3')).toBeUndefined();
  });
});
