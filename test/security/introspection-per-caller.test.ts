import { createHash } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTROSPECTION_DISABLED_MESSAGE } from '../../src/graphql/introspection.js';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { type WsAnswer, wsClient, wsRun } from '../helpers/ws.js';

const KEYS = { viewer: 'introspect-viewer-0123456789', operator: 'introspect-operator-0123456789', admin: 'introspect-admin-0123456789' };
const CLIENTS = [
  { name: 'dashboard', key: KEYS.viewer, roles: ['viewer'] },
  { name: 'automation', key: KEYS.operator, roles: ['operator'] },
  { name: 'ops', key: KEYS.admin, roles: ['admin'] },
];

/** Ways to hide `__schema` or `__type` in a query; each answers `data.schema.queryType.name` or `data.type.name` when allowed. */
const HIDDEN: Record<string, string> = {
  alias: '{ schema: __schema { queryType { name } } }',
  fragment: 'query { ...Schema } fragment Schema on Query { schema: __schema { queryType { name } } }',
  inlineFragment: '{ ... on Query { type: __type(name: "Instance") { name } } }',
  nested: '{ ... { ...Typed } } fragment Typed on Query { providers { id } type: __type(name: "Backup") { name } }',
};

type Transport = 'POST' | 'GET' | 'WS';

interface Answer {
  /** The HTTP status; 0 over WebSocket. */
  status: number;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** What a caller is refused with: the same message and code over every transport, and nothing of the schema. */
function expectRefused(answer: Answer, label: string): void {
  expect(answer.data ?? null, label).toBeNull();
  expect(answer.errors?.map((error) => [error.message, error.extensions?.code]), label).toEqual([[INTROSPECTION_DISABLED_MESSAGE, 'BAD_USER_INPUT']]);
  if (answer.status !== 0) expect(answer.status, label).toBe(400);
}

const introspected = (answer: Answer): unknown => (answer.data?.schema as { queryType?: { name: string } } | undefined)?.queryType?.name ?? (answer.data?.type as { name?: string } | undefined)?.name;

describe('introspection off: admin keys only', () => {
  let closed: Harness;
  let anonymousAdmin: Harness;
  let open: Harness;
  const sockets: Client[] = [];

  beforeAll(async () => {
    [closed, anonymousAdmin, open] = await Promise.all([
      // Callers without a key are viewers here.
      startHarness({ kinds: ['zomro'], configure: withClients(CLIENTS, { introspection: false, allowAnonymous: true, anonymousRole: 'viewer' }) }),
      // No clients: a caller without a key is the admin (as `_service { sdl }` treats it).
      startHarness({ kinds: ['zomro'], configure: (config) => ({ ...config, allowAnonymous: true, introspection: false }) }),
      startHarness({ kinds: ['zomro'], configure: withClients(CLIENTS, { introspection: true, allowAnonymous: true, anonymousRole: 'viewer' }) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.dispose()));
    await Promise.all([closed?.close(), anonymousAdmin?.close(), open?.close()]);
  });

  const socketFor = (harness: Harness, key: string | undefined): Client => {
    const socket = wsClient(harness.gateway.graphqlUrl, key);
    sockets.push(socket);
    return socket;
  };

  async function send(harness: Harness, transport: Transport, query: string, key?: string): Promise<Answer> {
    if (transport === 'POST') return harness.gql(query, undefined, key ? { key } : {});
    if (transport === 'GET') {
      const headers: Record<string, string> = { 'apollo-require-preflight': 'true', ...(key ? { authorization: `Bearer ${key}` } : {}) };
      const response = await fetch(`${harness.gateway.graphqlUrl}?query=${encodeURIComponent(query)}`, { headers });
      return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
    }
    const answer: WsAnswer = await wsRun(socketFor(harness, key), query);
    return { status: 0, ...answer };
  }

  it('gives an admin key __schema and __type over POST, GET and WebSocket, however they are written', async () => {
    for (const transport of ['POST', 'GET', 'WS'] as const) {
      for (const [how, query] of Object.entries(HIDDEN)) {
        const answer = await send(closed, transport, query, KEYS.admin);
        expect(answer.errors, `${transport} ${how}`).toBeUndefined();
        expect(introspected(answer), `${transport} ${how}`).toMatch(/^(Query|Instance|Backup)$/);
      }
    }
  });

  it("answers an admin key GraphiQL's whole introspection query within the default limits", async () => {
    const answer = await closed.gql<{ __schema: { types: Array<{ name: string }> } }>(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }), undefined, { key: KEYS.admin });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.__schema.types.map((type) => type.name)).toContain('Instance');
  });

  it('refuses viewers, operators and anonymous viewers over POST, GET and WebSocket, with the message and code it always had', async () => {
    for (const transport of ['POST', 'GET', 'WS'] as const) {
      for (const [caller, key] of [['viewer', KEYS.viewer], ['operator', KEYS.operator], ['anonymous viewer', undefined]] as const) {
        for (const [how, query] of Object.entries(HIDDEN)) expectRefused(await send(closed, transport, query, key), `${transport} ${caller} ${how}`);
      }
    }
  });

  it('refuses a viewer a query text an admin key sent first (Apollo keeps the validated document), and the reverse', async () => {
    for (const transport of ['POST', 'GET', 'WS'] as const) {
      // Each order its own text, new to the gateway's document cache.
      const adminFirst = `query AdminFirst${transport} { schema: __schema { queryType { name } } }`;
      expect(introspected(await send(closed, transport, adminFirst, KEYS.admin)), transport).toBe('Query');
      expectRefused(await send(closed, transport, adminFirst, KEYS.viewer), `${transport} viewer after admin`);
      expectRefused(await send(closed, transport, adminFirst, undefined), `${transport} anonymous after admin`);

      const viewerFirst = `query ViewerFirst${transport} { schema: __schema { queryType { name } } }`;
      expectRefused(await send(closed, transport, viewerFirst, KEYS.viewer), `${transport} viewer first`);
      expect(introspected(await send(closed, transport, viewerFirst, KEYS.admin)), transport).toBe('Query');
      expectRefused(await send(closed, transport, viewerFirst, KEYS.viewer), `${transport} viewer again`);
    }
  });

  it('refuses a viewer a persisted query (APQ) an admin key registered: not found by its hash alone, refused sent whole', async () => {
    const query = '{ schema: __schema { queryType { name } } }';
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    const post = async (body: Record<string, unknown>, key: string): Promise<Answer> => {
      const response = await fetch(closed.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
      return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
    };
    expect(introspected(await post({ query, extensions: { persistedQuery } }, KEYS.admin))).toBe('Query');
    // Persisted queries are per client (persisted-queries-per-client.test.ts): the viewer's hash alone finds nothing to run.
    const notFound = (answer: Answer) => answer.errors?.map((error) => error.message);
    expect(notFound(await post({ extensions: { persistedQuery } }, KEYS.viewer))).toEqual(['PersistedQueryNotFound']);
    expect(introspected(await post({ extensions: { persistedQuery } }, KEYS.admin))).toBe('Query');
    // The viewer sending the text is refused, and the refused text is not kept for its hash.
    expectRefused(await post({ query, extensions: { persistedQuery } }, KEYS.viewer), 'viewer registering');
    // GET, as Apollo Client sends persisted queries.
    const response = await fetch(`${closed.gateway.graphqlUrl}?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery }))}`, {
      headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${KEYS.viewer}` },
    });
    expect(notFound({ status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) })).toEqual(['PersistedQueryNotFound']);
  });

  it('refuses introspection in an operation other than the one run, a subscription over WebSocket too', async () => {
    const document = 'subscription Watch { operationUpdated(id: "zomro-test:op:none") { status } } query Hidden { __schema { queryType { name } } }';
    const answer = await new Promise<WsAnswer>((resolve, reject) => {
      socketFor(closed, KEYS.viewer).subscribe(
        { query: document, operationName: 'Watch' },
        {
          next: (value) => resolve(value as WsAnswer),
          error: (error: unknown) => (Array.isArray(error) ? resolve({ errors: error as WsAnswer['errors'], refused: true }) : reject(error instanceof Error ? error : new Error(String(error)))),
          complete: () => resolve({}),
        },
      );
    });
    expect(answer.refused).toBe(true);
    expectRefused({ status: 0, ...answer }, 'subscription beside an introspecting query');
    const response = await fetch(closed.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.viewer}` },
      body: JSON.stringify({ query: 'query Listed { providers { id } } query Hidden { __schema { queryType { name } } }', operationName: 'Listed' }),
    });
    expectRefused({ status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) }, 'unselected operation over HTTP');
  });

  it('keeps __typename for everyone', async () => {
    for (const transport of ['POST', 'GET', 'WS'] as const) {
      const answer = await send(closed, transport, '{ __typename providers { __typename id } }', KEYS.viewer);
      expect(answer.errors, transport).toBeUndefined();
      expect(answer.data?.__typename, transport).toBe('Query');
    }
  });

  it('counts a caller without a key as admin where anonymousRole is admin, as _service { sdl } does', async () => {
    for (const transport of ['POST', 'GET', 'WS'] as const) {
      expect(introspected(await send(anonymousAdmin, transport, HIDDEN.alias!, undefined)), transport).toBe('Query');
    }
    const service = await anonymousAdmin.gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(service.data?._service.sdl).toContain('type Instance');
  });

  it('gives everyone introspection when the config turns it on', async () => {
    for (const transport of ['POST', 'GET', 'WS'] as const) {
      for (const key of [KEYS.viewer, undefined]) {
        for (const [how, query] of Object.entries(HIDDEN)) {
          const answer = await send(open, transport, query, key);
          expect(answer.errors, `${transport} ${how}`).toBeUndefined();
          expect(introspected(answer), `${transport} ${how}`).toMatch(/^(Query|Instance|Backup)$/);
        }
      }
    }
  });
});
