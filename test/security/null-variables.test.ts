import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const KEY = 'null-variables-viewer-key-0123456789';
type Failure = { message: string; extensions: { code: string } };
type Answer = { status?: number; data?: Record<string, unknown> | null; errors?: Failure[] };

/**
 * A nullable variable with a default may stand where a value is required (validation allows it);
 * sent as an explicit `null` it is a field error in the spec, and graphql-js's error for it has no
 * code: `query($id: ID = "x") { node(id: $id) { id } }` with `{"id": null}` answered
 * INTERNAL_SERVER_ERROR and logged an error line with a stack, over HTTP and WebSocket; a null
 * `@include(if:)` left its field out, a null list item of a filter matched nothing, without a word.
 */
describe('a variable sent null where a value is required', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'viewer', key: KEY, roles: ['viewer'] }]) });
  });
  afterAll(() => harness.close());

  /** Error lines (a fault of the gateway's) written since `from` lines of the log. */
  const faultLinesSince = (from: number): string[] => harness.logs.slice(from).filter((line) => line.includes('"level":50'));

  const overHttp = async (query: string, variables: Record<string, unknown>): Promise<Answer> => {
    const response = await fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return { status: response.status, ...((await response.json()) as Answer) };
  };

  /** One operation on a fresh connection: the `error` message's errors, or the first `next` payload. */
  const overWebSocket = async (query: string, variables: Record<string, unknown>): Promise<Answer> => {
    const socket = new WebSocket(wsUrl(harness.gateway.graphqlUrl), 'graphql-transport-ws');
    socket.on('error', () => {});
    const answer = new Promise<Answer>((resolve) => {
      socket.on('close', () => resolve({ errors: [{ message: 'closed', extensions: { code: 'CLOSED' } }] }));
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; payload?: unknown };
        if (message.type === 'connection_ack') socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
        if (message.type === 'error') resolve({ errors: message.payload as Failure[] });
        if (message.type === 'next') resolve(message.payload as Answer);
      });
    });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${KEY}` } }));
    const result = await answer;
    socket.close();
    return result;
  };

  const refused = [
    { query: 'query($id: ID = "x") { node(id: $id) { id } }', variables: { id: null }, message: 'Variable "$id" is null where a value of type "ID!" is required: send a value, or leave $id out for its default ("x").' },
    { query: 'query($on: Boolean = true) { providers @include(if: $on) { id } }', variables: { on: null }, message: 'Variable "$on" is null where a value of type "Boolean!" is required' },
    { query: 'query($s: BackupStatus = CREATING) { backups(first: 1, filter: { status: [$s] }) { totalCount } }', variables: { s: null }, message: 'Variable "$s" is null where a value of type "BackupStatus!" is required' },
    { query: 'query($id: ID = "x") { ...F } fragment F on Query { backup(id: $id) { id } }', variables: { id: null }, message: 'Variable "$id" is null where a value of type "ID!" is required' },
  ];

  for (const [transport, run] of [['HTTP', overHttp], ['WebSocket', overWebSocket]] as const) {
    it(`refuses it as the client's mistake, naming the variable, before anything runs (${transport})`, async () => {
      const from = harness.logs.length;
      for (const { query, variables, message } of refused) {
        const answer = await run(query, variables);
        expect(answer.errors?.map((error) => error.extensions.code), query).toEqual(['BAD_USER_INPUT']);
        expect(answer.errors![0]!.message, query).toContain(message);
        expect(answer.data ?? null, query).toBeNull();
        if (transport === 'HTTP') expect(answer.status, query).toBe(400);
      }
      expect(faultLinesSince(from)).toEqual([]);
    });

    it(`refuses a subscription's root argument sent null too, and runs each with the variable left out (${transport})`, async () => {
      const from = harness.logs.length;
      if (transport === 'WebSocket') {
        const subscription = await run('subscription($id: ID = "x") { operationUpdated(id: $id) { id } }', { id: null });
        expect(subscription.errors?.map((error) => error.extensions.code)).toEqual(['BAD_USER_INPUT']);
      }
      const defaulted = await run('query($on: Boolean = true) { providers @include(if: $on) { id } }', {});
      expect(defaulted.errors).toBeUndefined();
      expect(defaulted.data).toEqual({ providers: [{ id: harness.providerId('zomro') }] });
      // null where null may stand is no mistake.
      const nullable = await run('query($after: String = "x") { instances(first: 1, after: $after) { totalCount } }', { after: null });
      expect(nullable.errors).toBeUndefined();
      expect(faultLinesSince(from)).toEqual([]);
    });
  }
});
