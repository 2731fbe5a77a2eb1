import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { type RawConnection, rawConnection } from '../helpers/ws.js';

/**
 * A persisted query's hash alone over WebSocket is answered as over HTTP, from the same
 * registrations. graphql-ws's own message check wants `query` a string: a `subscribe` with the
 * hash alone closed the connection 4400, where HTTP answers PersistedQueryNotFound (the APQ
 * client then sends the text) or runs the query the client registered; and a query registered
 * over WebSocket was not kept for HTTP. Spoken over the bare protocol (the `ws` package): the
 * graphql-ws client refuses to send a subscribe without `query` itself.
 */
const KEY = 'ws-hash-alone-viewer-0123456789';
const OTHER_KEY = 'ws-hash-alone-other-0123456789';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

interface Answer {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}
interface WsEnd {
  /** `error` when refused before it ran; else the `next` payload before `complete`. */
  type: 'error' | 'complete' | 'closed';
  answer: Answer;
  code?: number;
}

describe('WebSocket: a persisted query by its hash alone, as over HTTP', () => {
  let harness: Harness;
  const connections: RawConnection[] = [];
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: withClients([
        { name: 'viewer', key: KEY, roles: ['viewer'] },
        { name: 'other', key: OTHER_KEY, roles: ['viewer'] },
      ]),
    });
  });
  afterAll(async () => {
    for (const connection of connections) connection.socket.close();
    await harness.close();
  });

  const connect = async (key: string): Promise<RawConnection> => {
    const connection = rawConnection(harness.gateway.graphqlUrl, key);
    connections.push(connection);
    expect(await connection.acknowledged).toBe(true);
    return connection;
  };

  let ids = 0;
  /** Sends one subscribe and waits for its end: its `error`, its `complete` (with the last `next`), or the connection's close. */
  const subscribe = (connection: RawConnection, payload: Record<string, unknown>): Promise<WsEnd> => {
    ids += 1;
    const id = `op-${ids}`;
    return new Promise((resolve) => {
      let last: Answer = {};
      const onMessage = (data: unknown) => {
        const message = JSON.parse(String(data)) as { id?: string; type: string; payload?: unknown };
        if (message.id !== id) return;
        if (message.type === 'next') last = message.payload as Answer;
        if (message.type === 'error') finish({ type: 'error', answer: { errors: message.payload as Answer['errors'] } });
        if (message.type === 'complete') finish({ type: 'complete', answer: last });
      };
      const finish = (end: WsEnd) => {
        connection.socket.off('message', onMessage);
        resolve(end);
      };
      connection.socket.on('message', onMessage);
      void connection.closed.then(({ code }) => finish({ type: 'closed', answer: {}, code }));
      connection.socket.send(JSON.stringify({ id, type: 'subscribe', payload }));
    });
  };

  const overHttp = async (key: string, body: Record<string, unknown>): Promise<Answer & { status: number }> => {
    const response = await fetch(harness.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, ...((await response.json()) as Answer) };
  };
  const messagesAndCodes = (answer: Answer) => answer.errors?.map((error) => [error.message, error.extensions?.code]);

  it('answers a hash nobody registered with an `error` in the words and code HTTP uses, and keeps the connection', async () => {
    const query = '{ providers { id } }';
    const connection = await connect(KEY);
    const ws = await subscribe(connection, { extensions: persisted(query) });
    const http = await overHttp(KEY, { extensions: persisted(query) });
    expect(messagesAndCodes(http)).toEqual([['PersistedQueryNotFound', 'BAD_USER_INPUT']]);
    expect(ws.type).toBe('error');
    expect(messagesAndCodes(ws.answer)).toEqual(messagesAndCodes(http));
    // The connection still serves: the client sends the text next, as Apollo Client's link does.
    const withText = await subscribe(connection, { query, extensions: persisted(query) });
    expect(withText.type).toBe('complete');
    expect(withText.answer.errors).toBeUndefined();
  });

  it('runs a hash alone the client registered over WebSocket, and answers it over HTTP too', async () => {
    const query = '{ instances(first: 1) { totalCount } }';
    const connection = await connect(KEY);
    const registered = await subscribe(connection, { query, extensions: persisted(query) });
    expect(registered.type).toBe('complete');
    expect(registered.answer.errors).toBeUndefined();

    const again = await subscribe(connection, { extensions: persisted(query) });
    expect(again).toEqual(registered);
    const http = await overHttp(KEY, { extensions: persisted(query) });
    expect(http.errors).toBeUndefined();
    expect(http.data).toEqual(registered.answer.data);
  });

  it('runs over WebSocket a hash alone the client registered over HTTP, and to no other client', async () => {
    const query = '{ instances(first: 2) { totalCount } }';
    const http = await overHttp(KEY, { query, extensions: persisted(query) });
    expect(http.errors).toBeUndefined();

    const ws = await subscribe(await connect(KEY), { extensions: persisted(query) });
    expect(ws.type).toBe('complete');
    expect(ws.answer).toEqual({ data: http.data });

    const other = await subscribe(await connect(OTHER_KEY), { extensions: persisted(query) });
    expect(other.type).toBe('error');
    expect(messagesAndCodes(other.answer)).toEqual([['PersistedQueryNotFound', 'BAD_USER_INPUT']]);
  });

  const wrong: Array<[string, Record<string, unknown>]> = [
    ['a hash that is no string', { persistedQuery: { version: 1, sha256Hash: 42 } }],
    ['a version other than 1', { persistedQuery: { version: 2, sha256Hash: sha256('{ providers { id } }') } }],
  ];
  it.each(wrong)('refuses a hash alone with %s in the words HTTP uses, and keeps the connection', async (_case, extensions) => {
    const connection = await connect(KEY);
    const ws = await subscribe(connection, { extensions });
    const http = await overHttp(KEY, { extensions });
    expect(ws.type).toBe('error');
    expect(messagesAndCodes(ws.answer)).toEqual(messagesAndCodes(http));
    expect(ws.answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(connection.socket.readyState).toBe(connection.socket.OPEN);
  });

  // Guard: a subscribe with neither a query nor a persisted query is still graphql-ws's malformed message.
  it('still closes 4400 on a subscribe with neither a query nor a persisted query', async () => {
    const end = await subscribe(await connect(KEY), { extensions: {} });
    expect(end).toMatchObject({ type: 'closed', code: 4400 });
  });
});
