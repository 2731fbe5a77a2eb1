import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const KEY = 'subscription-root-viewer-key-0123456789';
type Failure = { message: string; extensions: { code: string } };
type Message = { id?: string; type: string; payload?: unknown };

/**
 * `@skip` or `@include` on a subscription's root field. graphql-js 16's validation collects a
 * subscription's root fields with no variables, so `@include(if: $on)` there threw out of
 * validation: HTTP 500 "internal error" for any document holding such a subscription (the
 * operation asked for being a query), a WebSocket closed 4500 with its other operations, and an
 * error line with a stack each time. `@skip(if: true)` left no root field, and graphql-js's
 * subscribe threw a TypeError (4500 too).
 */
describe('@skip and @include on a subscription root field', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'viewer', key: KEY, roles: ['viewer'] }]) });
  });
  afterAll(() => harness.close());

  const faultLines = (): string[] => harness.logs.filter((line) => line.includes('"level":50'));

  const overHttp = async (body: Record<string, unknown>): Promise<{ status: number; errors?: Failure[] }> => {
    const response = await fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, ...((await response.json()) as { errors?: Failure[] }) };
  };

  /** Sends each operation on one connection, in turn; the messages of each, and how the connection ended (null: still open). */
  const overWebSocket = async (operations: Array<{ query: string; variables?: Record<string, unknown> }>): Promise<{ answers: Message[][]; closed: number | null }> => {
    const socket = new WebSocket(wsUrl(harness.gateway.graphqlUrl), 'graphql-transport-ws');
    socket.on('error', () => {});
    let closed: number | null = null;
    const closing = new Promise<void>((resolve) => socket.once('close', (code) => resolve(void (closed = code))));
    const inbox: Message[] = [];
    let arrived: () => void = () => {};
    socket.on('message', (data) => {
      inbox.push(JSON.parse(String(data)) as Message);
      arrived();
    });
    const next = async (): Promise<Message | null> => {
      while (inbox.length === 0) {
        if (closed !== null) return null;
        await Promise.race([new Promise<void>((resolve) => (arrived = resolve)), closing]);
      }
      return inbox.shift() ?? null;
    };
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${KEY}` } }));
    expect((await next())?.type).toBe('connection_ack');
    const answers: Message[][] = [];
    for (const [index, operation] of operations.entries()) {
      socket.send(JSON.stringify({ id: String(index), type: 'subscribe', payload: operation }));
      const messages: Message[] = [];
      for (let message = await next(); message !== null; message = await next()) {
        messages.push(message);
        if (message.type === 'error' || message.type === 'complete') break;
      }
      answers.push(messages);
    }
    socket.close();
    return { answers, closed };
  };

  it('refuses such a subscription as the client mistake over HTTP, whichever operation of the document was asked for', async () => {
    const documents = [
      'query Q { __typename } subscription S($on: Boolean!) { operationUpdated(id: "x") @include(if: $on) { id } }',
      'query Q { __typename } subscription S($on: Boolean!) { ... @skip(if: $on) { operationUpdated(id: "x") { id } } }',
      'query Q { __typename } subscription S($on: Boolean!) { ...F } fragment F on Subscription { operationUpdated(id: "x") @include(if: $on) { id } }',
    ];
    for (const query of documents) {
      const answer = await overHttp({ query, operationName: 'Q' });
      expect(answer.status, query).toBe(400);
      expect(answer.errors?.map((error) => error.extensions.code), query).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors![0]!.message, query).toBe('Subscription "S" must not use `@skip` or `@include` directives in the top level selection.');
    }
    expect(faultLines()).toEqual([]);
  });

  it('answers such a subscription over WebSocket with an error message, and the connection runs on', async () => {
    const { answers, closed } = await overWebSocket([
      { query: 'subscription { operationUpdated(id: "x") @skip(if: true) { id } }' },
      { query: 'subscription($on: Boolean!) { operationUpdated(id: "x") @include(if: $on) { id } }', variables: { on: true } },
      { query: 'query { __typename }' },
    ]);
    expect(answers[0]?.map((message) => message.type)).toEqual(['error']);
    expect((answers[0]?.[0]?.payload as Failure[])[0]).toMatchObject({
      message: 'Anonymous Subscription must not use `@skip` or `@include` directives in the top level selection.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(answers[1]?.map((message) => message.type)).toEqual(['error']);
    expect((answers[1]?.[0]?.payload as Failure[])[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(answers[2]?.map((message) => message.type)).toEqual(['next', 'complete']);
    expect(answers[2]?.[0]?.payload).toEqual({ data: { __typename: 'Query' } });
    expect(closed).toBeNull();
    expect(faultLines()).toEqual([]);
  });

  it('runs a subscription whose directives stand below its root field', async () => {
    const { answers } = await overWebSocket([{ query: 'subscription($on: Boolean!) { operationUpdated(id: "x") { id @include(if: $on) status } }', variables: { on: true } }]);
    // It ran: the made-up id is the resolver's refusal, in a `next`.
    expect(answers[0]?.map((message) => message.type)).toEqual(['next', 'complete']);
    expect(JSON.stringify(answers[0]?.[0]?.payload)).toContain('malformed id');
  });
});
