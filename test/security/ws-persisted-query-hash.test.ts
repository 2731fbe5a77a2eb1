import { createHash } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { type WsAnswer, wsClient } from '../helpers/ws.js';

/**
 * Every entry point makes the same persisted-query checks: over WebSocket a `persistedQuery`
 * whose hash is not the text's SHA-256 (or is no string, or of another version) ran the query,
 * where HTTP refuses it 400 `BAD_USER_INPUT`.
 */
const KEY = 'ws-persisted-viewer-0123456789';
const QUERY = '{ instances(first: 1) { totalCount } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface HttpAnswer {
  status: number;
  data?: unknown;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

describe('WebSocket: persisted-query checks as over HTTP', () => {
  let harness: Harness;
  let client: Client;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'viewer', key: KEY, roles: ['viewer'] }]) });
    client = wsClient(harness.gateway.graphqlUrl, KEY);
  });
  afterAll(async () => {
    await client.dispose();
    await harness.close();
  });

  const overHttp = async (extensions: Record<string, unknown>): Promise<HttpAnswer> => {
    const response = await fetch(harness.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query: QUERY, extensions }),
    });
    return { status: response.status, ...((await response.json()) as Omit<HttpAnswer, 'status'>) };
  };

  const overWs = (extensions: Record<string, unknown>): Promise<WsAnswer> =>
    new Promise((resolve, reject) => {
      let last: WsAnswer = {};
      client.subscribe(
        { query: QUERY, extensions },
        {
          next: (value) => {
            last = value as WsAnswer;
          },
          error: (error: unknown) => (Array.isArray(error) ? resolve({ errors: error as WsAnswer['errors'], refused: true }) : reject(new Error(JSON.stringify(error)))),
          complete: () => resolve(last),
        },
      );
    });

  const wrong: Array<[string, Record<string, unknown>]> = [
    ['a hash not the text’s SHA-256', { persistedQuery: { version: 1, sha256Hash: sha256(`${QUERY} `) } }],
    ['a hash that is no string', { persistedQuery: { version: 1, sha256Hash: 42 } }],
    ['a version other than 1', { persistedQuery: { version: 2, sha256Hash: sha256(QUERY) } }],
  ];

  it.each(wrong)('refuses %s BAD_USER_INPUT, in the words HTTP uses, without running it', async (_case, extensions) => {
    const http = await overHttp(extensions);
    expect(http.status).toBe(400);
    harness.resetUpstreamLogs();
    const ws = await overWs(extensions);
    expect(ws.refused).toBe(true);
    expect(ws.data).toBeUndefined();
    expect(ws.errors?.map((error) => [error.message, error.extensions?.code])).toEqual(http.errors?.map((error) => [error.message, error.extensions?.code]));
    expect(ws.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(harness.upstreamCount()).toBe(0);
  });

  // Guard: the right hash runs as without one.
  it('runs a query sent with its right hash', async () => {
    const ws = await overWs({ persistedQuery: { version: 1, sha256Hash: sha256(QUERY) } });
    expect(ws.errors).toBeUndefined();
    expect(ws.data).toMatchObject({ instances: { totalCount: expect.any(Number) } });
  });
});
