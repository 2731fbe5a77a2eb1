import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DANUBE_SIM_API_KEY, DANUBE_SIM_PASSWORD, DANUBE_SIM_USER, type DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startHarness, withAccountCopy, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * Every esdc-ce url pattern ends in "/" (api/vm/urls.py, api/task/urls.py, api/accounts/urls.py),
 * its `es` client adds the slash to each path, and the API docs' answers show it. Django's
 * CommonMiddleware answers a routed path without it with a 301 to the slashed one, which the
 * gateway never follows: every call to a real panel failed "redirected the request". The
 * simulator served both forms, so nothing showed it.
 */
describe('danube: paths end in a slash, as esdc-ce routes them', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());

  it('the simulator answers a routed path without its slash as Django does: 301 to the slashed path, the query kept', async () => {
    const origin = new URL(harness.simulator('danube').server.url).origin;
    const response = await fetch(`${origin}/api/vm?full=true`, { headers: { 'es-api-key': DANUBE_SIM_API_KEY }, redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe(`${origin}/api/vm/?full=true`);
    expect(response.headers.get('es_version')).toBeNull();
    // A write too, before any view: nothing is made (Django's 301 stands whatever the method, DEBUG off).
    const headers = { 'es-api-key': DANUBE_SIM_API_KEY, 'content-type': 'application/json' };
    const body = JSON.stringify({ disk_id: 1, node: 'node99.erigones.com', schedule: '0 4 * * *', retention: 3 });
    const write = await fetch(`${origin}/api/vm/web01.example.com/define/backup/unslashed`, { method: 'POST', headers, body, redirect: 'manual' });
    expect(write.status).toBe(301);
    expect(write.headers.get('location')).toBe(`${origin}/api/vm/web01.example.com/define/backup/unslashed/`);
    const names = (await (await fetch(`${origin}/api/vm/web01.example.com/define/backup/`, { headers })).json()) as { result: string[] };
    expect(names.result).not.toContain('unslashed');
    const unrouted = await fetch(`${origin}/api/vm/web01.example.com/nothing`, { headers: { 'es-api-key': DANUBE_SIM_API_KEY }, redirect: 'manual' });
    expect(unrouted.status).toBe(404);
  });

  const redirectedTo = async (target: string) => {
    const origin = new URL(harness.simulator('danube').server.url).origin;
    const response = await fetch(`${origin}${target}`, { headers: { 'es-api-key': DANUBE_SIM_API_KEY }, redirect: 'manual' });
    expect(response.status).toBe(301);
    return response.headers.get('location')?.slice(origin.length);
  };

  it('the 301 writes the query back byte for byte, as Django appends QUERY_STRING', async () => {
    // Parsed and written again, `%20` came back `+`, `%7e` `%7E`, a `=` in a value `%3D`, a `,` `%2C`.
    expect(await redirectedTo('/api/vm?full=true&dc=main%20dc&note=a+b&tilde=%7e&eq=b=c&list=1,2')).toBe('/api/vm/?full=true&dc=main%20dc&note=a+b&tilde=%7e&eq=b=c&list=1,2');
    // A bare `?` is no query (QUERY_STRING empty): none is written.
    expect(await redirectedTo('/api/vm?')).toBe('/api/vm/');
  });

  it("the 301's path is Django's urlquote(request.path + '/'): decoded, then quoted again", async () => {
    expect(await redirectedTo('/api/vm/%77eb01.example.com/backup?x=%41')).toBe('/api/vm/web01.example.com/backup/?x=%41');
  });

  it('servesPathsWithoutSlash (the bench, for a baseline built before the slash) serves the bare path; off again, the 301', async () => {
    const simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const origin = new URL(harness.simulator('danube').server.url).origin;
    const bare = () => fetch(`${origin}/api/vm?full=true`, { headers: { 'es-api-key': DANUBE_SIM_API_KEY }, redirect: 'manual' });
    simulator.servesPathsWithoutSlash = true;
    try {
      const served = await bare();
      expect(served.status).toBe(200);
      expect(served.headers.get('es_version')).not.toBeNull();
    } finally {
      simulator.servesPathsWithoutSlash = false;
    }
    expect((await bare()).status).toBe(301);
  });

  it('instances, their backups and definitions are read without a provider error', async () => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { backups: unknown[]; definitions: unknown[] } }> } }>(
      '{ instances { edges { node { nativeId backups { nativeId } definitions { name } } } } }',
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    expect(answer.data!.instances.edges.length).toBeGreaterThan(0);
    expect(answer.data!.instances.edges.some((edge) => edge.node.backups.length > 0)).toBe(true);
    expect(answer.data!.instances.edges.some((edge) => edge.node.definitions.length > 0)).toBe(true);
  });

  it('every call the gateway sent, writes and the task polls included, ends in a slash', async () => {
    // The first case's own fetches left out.
    harness.resetUpstreamLogs();
    const instances = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    const instanceId = instances.data!.instances.edges[0]!.node.id;
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(
      'mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "slash", definitionName: "daily" }) { operation { id status } } }',
      { id: instanceId },
    );
    expect(created.errors).toBeUndefined();
    const polled = await harness.gql<{ operation: { status: string } | null }>('query($id: ID!) { operation(id: $id) { status } }', { id: created.data!.createBackup.operation.id });
    expect(polled.errors).toBeUndefined();
    const paths = harness.simulator('danube').server.log.map((entry) => entry.rawPath);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !path.endsWith('/'))).toEqual([]);
  });
});

/**
 * A 301 the gateway does get, its paths slashed: an account url whose path the panel redirects (here
 * `/api` moved under `/panel/api`, as a front in front of esdc-ce may). Still never followed, and
 * still refused in words that say to check the url, for a login and for an API key alike. A guard:
 * it passes on the old client too (the 301 came there for every path).
 */
describe('danube: a redirect that still reaches the gateway is refused, not followed (guard)', () => {
  let moved: Server;
  let url = '';
  const asked: string[] = [];
  beforeAll(async () => {
    moved = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(301, { location: `/panel${req.url ?? '/'}`, 'content-type': 'text/html; charset=utf-8' }).end();
    });
    await new Promise<void>((resolve) => moved.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(moved.address() as AddressInfo).port}/api`;
  });
  afterAll(() => new Promise<void>((resolve) => moved.close(() => resolve())));

  for (const [how, auth] of [
    ['a login', { username: DANUBE_SIM_USER, password: DANUBE_SIM_PASSWORD }],
    ['an API key', { apiKey: DANUBE_SIM_API_KEY }],
  ] as const) {
    it(`${how}: PROVIDER_ERROR "redirected the request", the redirect's target never asked`, async () => {
      const id = 'danube-moved';
      asked.length = 0;
      const harness = await startHarness({ kinds: ['danube'], configure: withAccountCopy('danube', { id, url, auth, retries: 0 }) });
      try {
        const answer = await harness.gql<{ instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> } }>(
          '{ instances(first: 5) { providerErrors { provider { id } code message } } }',
        );
        expect(answer.data?.instances.providerErrors.filter((error) => error.provider.id === id)).toEqual([
          { provider: { id }, code: 'PROVIDER_ERROR', message: `provider ${id} redirected the request (HTTP 301) and redirects are not followed: check the account's url (it may need https)` },
        ]);
        expect(asked.length).toBeGreaterThan(0);
        expect(asked.filter((path) => path.startsWith('/panel'))).toEqual([]);
      } finally {
        await harness.close();
      }
    });
  }
});
