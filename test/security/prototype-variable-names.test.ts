import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const KEY = 'prototype-names-viewer-key-0123456789';
type Answer = { data?: { node: { id: string } | null } | null; errors?: Array<{ message: string; extensions: { code: string } }> };

/**
 * Variables named after what every JavaScript object inherits. graphql-jit reads and writes each
 * variable as `object.name`: `$__proto__` sent was written through the prototype setter and lost,
 * `$constructor` left out passed coercion as Object's own, and the field ran without its id:
 * INTERNAL_SERVER_ERROR, logged as a fault (`$constructor` left out with a literal use elsewhere
 * read "got invalid value [function Object]").
 */
describe('variables named like Object.prototype properties', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'viewer', key: KEY, roles: ['viewer'] }]) });
  });
  afterAll(() => harness.close());

  /** Raw JSON, so `__proto__` is an own key of the variables as a client sends it. */
  const refused = [
    { query: 'query($__proto__: ID!) { node(id: $__proto__) { id } }', variables: '{"__proto__":"zomro-test"}', name: '__proto__' },
    { query: 'query($constructor: ID!) { node(id: $constructor) { id } }', variables: '{}', name: 'constructor' },
    { query: 'query($toString: ID!) { node(id: $toString) { id } }', variables: '{"toString":"zomro-test"}', name: 'toString' },
  ];

  const overHttp = async (query: string, variables: string): Promise<Answer> => {
    const response = await fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: `{"query":${JSON.stringify(query)},"variables":${variables}}` });
    return (await response.json()) as Answer;
  };

  const overWebSocket = async (query: string, variables: string): Promise<Answer> => {
    const socket = new WebSocket(wsUrl(harness.gateway.graphqlUrl), 'graphql-transport-ws');
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('open', resolve));
    const messages: Array<{ type: string; payload?: unknown }> = [];
    const ended = new Promise<Answer>((resolve) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; payload?: unknown };
        messages.push(message);
        if (message.type === 'connection_ack') socket.send(`{"id":"1","type":"subscribe","payload":{"query":${JSON.stringify(query)},"variables":${variables}}}`);
        if (message.type === 'error') resolve({ errors: message.payload as Answer['errors'] });
        if (message.type === 'complete') resolve(messages.find((each) => each.type === 'next')?.payload as Answer);
      });
    });
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${KEY}` } }));
    const answer = await ended;
    socket.close();
    return answer;
  };

  for (const [transport, run] of [['HTTP', overHttp], ['WebSocket', overWebSocket]] as const) {
    it(`refuses them as the client's mistake naming the variable, never an internal error (${transport})`, async () => {
      for (const { query, variables, name } of refused) {
        const answer = await run(query, variables);
        expect(answer.errors?.map((error) => error.extensions.code), name).toEqual(['BAD_USER_INPUT']);
        expect(answer.errors![0]!.message, name).toContain(`Variable "$${name}"`);
      }
    });

    it(`runs the same operation with another variable name (${transport})`, async () => {
      const answer = await run('query($id: ID!) { node(id: $id) { id } }', '{"id":"zomro-test"}');
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.node).toEqual({ id: 'zomro-test' });
    });
  }
});
