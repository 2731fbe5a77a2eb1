import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { type RawConnection, rawConnection } from '../helpers/ws.js';

/**
 * A hash alone over WebSocket is read as Apollo reads one over HTTP, in every form HTTP takes,
 * and runs with what was sent. The gateway hands graphql-ws such a message written again (an
 * empty `query` filled in): it took a `query` of null or false for a text (graphql-ws then
 * closed 4400, where HTTP runs the registered query), missed `persistedQuery` written with a
 * JSON escape, and wrote a number past a double's range (`1e400`) as null, so a variable HTTP
 * refuses ran as null.
 */
const KEY = 'ws-hash-alone-forms-0123456789';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

interface Answer {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}
interface WsEnd {
  type: 'error' | 'complete' | 'closed';
  answer: Answer;
  code?: number;
}

describe('WebSocket: a hash alone in every form HTTP reads one', () => {
  let harness: Harness;
  const connections: RawConnection[] = [];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'viewer', key: KEY, roles: ['viewer'] }]) });
  });
  afterAll(async () => {
    for (const connection of connections) connection.socket.close();
    await harness.close();
  });

  const connect = async (): Promise<RawConnection> => {
    const connection = rawConnection(harness.gateway.graphqlUrl, KEY);
    connections.push(connection);
    expect(await connection.acknowledged).toBe(true);
    return connection;
  };
  /** Sends one subscribe message as written (`{ID}` stands for its id) and waits for its end. */
  let ids = 0;
  const subscribe = (connection: RawConnection, written: string): Promise<WsEnd> => {
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
      connection.socket.send(`{"id":${JSON.stringify(id)},"type":"subscribe","payload":${written}}`);
    });
  };
  const overHttp = async (body: string): Promise<Answer> => {
    const response = await fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body });
    return (await response.json()) as Answer;
  };

  const query = '{ instances(first: 3) { totalCount } }';
  beforeAll(async () => {
    expect((await overHttp(JSON.stringify({ query, extensions: persisted(query) }))).errors).toBeUndefined();
  });

  const forms: Array<[string, string]> = [
    ['a `query` of null', JSON.stringify({ query: null, extensions: persisted(query) })],
    ['a `query` of false', JSON.stringify({ query: false, extensions: persisted(query) })],
    ['`persistedQuery` written with a JSON escape', JSON.stringify({ extensions: persisted(query) }).replace('persistedQuery', 'persisted\\u0051uery')],
  ];
  it.each(forms)('runs the registered query for a hash alone with %s, as HTTP does', async (_form, written) => {
    const http = await overHttp(written);
    expect(http.errors).toBeUndefined();
    const ws = await subscribe(await connect(), written);
    expect(ws).toEqual({ type: 'complete', answer: { data: http.data } });
  });

  it('an empty `query` with no hash: the same words and code as over HTTP, not a syntax error', async () => {
    const written = JSON.stringify({ query: '' });
    const http = await overHttp(written);
    expect(http.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([['GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.', 'BAD_USER_INPUT']]);
    const ws = await subscribe(await connect(), written);
    expect(ws.type).toBe('error');
    expect(ws.answer.errors?.map((error) => [error.message, error.extensions?.code])).toEqual(http.errors?.map((error) => [error.message, error.extensions?.code]));
  });

  it('refuses a variable past a double\'s range (1e400) as HTTP does, not run as null', async () => {
    const withVariable = 'query ($first: Int) { instances(first: $first) { totalCount } }';
    expect((await overHttp(JSON.stringify({ query: withVariable, extensions: persisted(withVariable) }))).errors).toBeUndefined();
    const written = JSON.stringify({ extensions: persisted(withVariable), variables: { first: 1 } }).replace('"first":1', '"first":1e400');
    const http = await overHttp(written);
    expect(http.errors?.map((error) => error.message)).toEqual(['Variable "$first" got invalid value Infinity; Int cannot represent non-integer value: Infinity']);
    const ws = await subscribe(await connect(), written);
    expect(ws.answer.errors?.map((error) => error.message)).toEqual(http.errors?.map((error) => error.message));
    expect(ws.answer.data).toBeUndefined();
  });
});
