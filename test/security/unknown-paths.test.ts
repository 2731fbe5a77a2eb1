import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';

const KEY = 'unknown-paths-viewer-key-0123456789';
const QUERY = JSON.stringify({ query: '{ providers { id } }' });
const NOT_FOUND = { errors: [{ message: 'not found: GraphQL is at /graphql (POST, GET, WebSocket; GraphiQL in a browser), health at /healthz and /readyz', extensions: { code: 'NOT_FOUND' } }] };

describe('paths under /graphql that are no route', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'viewer', key: KEY, roles: ['viewer'] }]) });
  });
  afterAll(() => harness.close());

  const post = (path: string, key?: string) =>
    fetch(`${harness.gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { authorization: `Bearer ${key}` }) }, body: QUERY });

  it('answer 404 NOT_FOUND, with a good key or none: /graphql/<anything> was answered as /graphql once its key passed', async () => {
    for (const path of ['/graphql/anything', '/graphql/x/y', '/graphql/graphiql', '/graphql/graphiql/v1', '/graphql/graphiql/v1/graphiql.js']) {
      const answer = await post(path, KEY);
      expect(answer.status, path).toBe(404);
      expect(await answer.json(), path).toEqual(NOT_FOUND);
    }
    expect((await post('/graphql/anything')).status).toBe(404);
    const got = await fetch(`${harness.gateway.url}/graphql/anything?query=${encodeURIComponent('{ providers { id } }')}`, { headers: { authorization: `Bearer ${KEY}`, 'apollo-require-preflight': 'true' } });
    expect(got.status).toBe(404);
  });

  it("answer a WebSocket upgrade to another path with the same 404 NOT_FOUND (it was ws's bare 400), and still take one to /graphql", async () => {
    const wsUrl = harness.gateway.graphqlUrl.replace(/^http/, 'ws');
    for (const url of [`${wsUrl}/anything`, wsUrl.replace(/\/graphql$/, '/'), wsUrl.replace(/\/graphql$/, '/healthz')]) {
      const socket = new WebSocket(url, 'graphql-transport-ws');
      socket.on('error', () => {});
      const [, response] = (await once(socket, 'unexpected-response')) as [unknown, IncomingMessage];
      let body = '';
      for await (const chunk of response) body += String(chunk);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toMatch(/^application\/json/);
      expect(JSON.parse(body), url).toEqual(NOT_FOUND);
      socket.terminate();
    }
    const good = new WebSocket(`${wsUrl}?client=dashboard`, 'graphql-transport-ws');
    await once(good, 'open');
    good.close();
  });

  it('answer a malformed %-escape in a GraphiQL file path as the path it is, not "malformed request body" (no body was read)', async () => {
    for (const path of ['/graphql/graphiql/v1/%E0%A4%A', '/graphql/graphiql/%ff/graphiql.js']) {
      const answer = await fetch(`${harness.gateway.url}${path}`);
      expect(answer.status, path).toBe(400);
      expect(await answer.json(), path).toEqual({ errors: [{ message: 'malformed %-escape in the request path: escape each byte as % and two hex digits, in UTF-8', extensions: { code: 'BAD_USER_INPUT' } }] });
    }
  });

  it('leave /graphql (with or without its trailing slash) and GraphiQL and its files as they were', async () => {
    const answer = await post('/graphql', KEY);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { providers: [{ id: 'zomro-test' }] } });
    expect((await post('/graphql/', KEY)).status).toBe(200);
    const page = await fetch(`${harness.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const files = [...(await page.text()).matchAll(/(?:src|href)="(\/graphql\/graphiql\/[^"]+)"/g)].map((match) => match[1]!);
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) expect((await fetch(`${harness.gateway.url}${file}`)).status, file).toBe(200);
    expect((await fetch(`${harness.gateway.url}/graphql/graphiql/no-such-version/graphiql.js`)).status).toBe(404);
  });
});
