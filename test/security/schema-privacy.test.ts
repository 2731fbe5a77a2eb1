import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

const KEYS = { viewer: 'privacy-viewer-0123456789abcdef', admin: 'privacy-admin-0123456789abcdef' };

/** Requests whose errors graphql-js would decorate with "Did you mean ...": validation, literals, variables. */
const HINTED: Array<[string, Record<string, unknown>]> = [
  ['{ instancs { totalCount } }', {}],
  ['{ instances(kind: ZOMR) { totalCount } }', {}],
  ['{ backups(filter: { providerIdd: "x" }) { totalCount } }', {}],
  ['query($k: ProviderKind) { instances(kind: $k) { totalCount } }', { k: 'ZOMR' }],
];

const start = (introspection: boolean) =>
  startHarness({
    kinds: ['zomro'],
    configure: withClients(
      [
        { name: 'dashboard', key: KEYS.viewer, roles: ['viewer'] },
        { name: 'ops', key: KEYS.admin, roles: ['admin'] },
      ],
      { introspection },
    ),
  });

describe('nothing of the schema without introspection', () => {
  let closed: Harness;
  let open: Harness;
  beforeAll(async () => {
    [closed, open] = await Promise.all([start(false), start(true)]);
  });
  afterAll(async () => {
    await Promise.all([closed.close(), open.close()]);
  });

  it('strips "Did you mean" from every error message, over HTTP and WebSocket, keeping BAD_USER_INPUT', async () => {
    const viewer = wsClient(closed.gateway.graphqlUrl, KEYS.viewer);
    try {
      for (const [query, variables] of HINTED) {
        const http = await closed.gql(query, variables, { key: KEYS.viewer });
        expect(http.errors?.map((error) => error.extensions?.code), query).toEqual(['BAD_USER_INPUT']);
        expect(http.text, query).not.toContain('Did you mean');
        const ws = await wsRun(viewer, query, variables);
        expect(ws.errors?.map((error) => error.extensions?.code), query).toEqual(['BAD_USER_INPUT']);
        expect(JSON.stringify(ws), query).not.toContain('Did you mean');
      }
    } finally {
      await viewer.dispose();
    }
  });

  it('gives an admin key the hints with introspection off, over HTTP and WebSocket, as it gets __schema; a viewer asking at the same time gets none', async () => {
    const viewer = wsClient(closed.gateway.graphqlUrl, KEYS.viewer);
    const admin = wsClient(closed.gateway.graphqlUrl, KEYS.admin);
    try {
      // All at once, viewers' and admins' interleaved: whom an answer goes to never crosses to another request.
      const asked = HINTED.flatMap(([query, variables]) =>
        (['viewer', 'admin'] as const).map(async (role) => {
          const http = await closed.gql(query, variables, { key: KEYS[role] });
          const ws = await wsRun(role === 'admin' ? admin : viewer, query, variables);
          return { query, role, http, ws };
        }),
      );
      for (const { query, role, http, ws } of await Promise.all(asked)) {
        const label = `${role}: ${query}`;
        expect(http.errors?.map((error) => error.extensions?.code), label).toEqual(['BAD_USER_INPUT']);
        expect(ws.errors?.map((error) => error.extensions?.code), label).toEqual(['BAD_USER_INPUT']);
        expect(http.errors?.[0]?.message.includes('Did you mean'), label).toBe(role === 'admin');
        expect(ws.errors?.[0]?.message.includes('Did you mean'), label).toBe(role === 'admin');
      }
      // The enum's values too, as with introspection on, where graphql-js suggests none.
      const far = '{ instances(kind: NOPE) { totalCount } }';
      const [adminFar, viewerFar] = await Promise.all([closed.gql(far, {}, { key: KEYS.admin }), wsRun(viewer, far)]);
      expect(adminFar.errors?.[0]?.message).toBe('Value "NOPE" does not exist in "ProviderKind" enum. ProviderKind is one of ZOMRO, ONAPP, ZSTACK, DANUBE.');
      expect(viewerFar.errors?.[0]?.message).toBe('Value "NOPE" does not exist in "ProviderKind" enum.');
    } finally {
      await Promise.all([viewer.dispose(), admin.dispose()]);
    }
  });

  it('keeps the hints when introspection is on (the schema is public then)', async () => {
    const hinted = await open.gql(HINTED[0]![0], {}, { key: KEYS.viewer });
    expect(hinted.text).toContain('Did you mean');
  });

  it('refuses _service { sdl } to a viewer, gives it to an admin key; any key when introspection is on', async () => {
    const viewer = await closed.gql<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, { key: KEYS.viewer });
    expect(viewer.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(viewer.text).not.toContain('type Instance');
    const admin = await closed.gql<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, { key: KEYS.admin });
    expect(admin.data?._service.sdl).toContain('type Instance');
    const opened = await open.gql<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, { key: KEYS.viewer });
    expect(opened.data?._service.sdl).toContain('type Instance');
  });

  it('serves /metrics and the detailed /readyz only on the admin listener; the main port says ready and nothing more', async () => {
    const main = closed.gateway.url;
    expect((await fetch(`${main}/metrics`)).status).toBe(404);
    const bare = await fetch(`${main}/readyz`);
    expect(bare.status).toBe(200);
    expect(await bare.json()).toEqual({ status: 'ready' });
    expect(new URL(closed.gateway.adminUrl).hostname).toBe('127.0.0.1');
    expect(closed.gateway.adminUrl).not.toBe(main);
    const metrics = await fetch(`${closed.gateway.adminUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('backup_graph_upstream_breaker_state{provider="zomro-test"}');
    const detailed = (await (await fetch(`${closed.gateway.adminUrl}/readyz`)).json()) as { providers: Array<{ id: string }> };
    expect(detailed.providers.map((provider) => provider.id)).toEqual(['zomro-test']);
  });
});
