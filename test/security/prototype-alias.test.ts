import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

const KEY = 'prototype-alias-viewer-key-0123456789';
type Answer = { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions: { code: string } }> };

/**
 * A field aliased `__proto__`. graphql-jit writes each response key by assignment, which for
 * `__proto__` is the prototype setter: a field nested under an object aliased so was written through
 * an undefined parent, and the TypeError, thrown outside any resolver's catch, ended the process
 * (the first query below, sent by a viewer, stopped the gateway; a leaf aliased so was dropped from
 * the answer without a word).
 */
describe('a field aliased __proto__', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'viewer', key: KEY, roles: ['viewer'] }]) });
  });
  afterAll(() => harness.close());

  const refused = [
    '{ instances(first: 2) { edges { __proto__: node { __proto__: id name } } } }',
    '{ __proto__: instances(first: 2) { __proto__: totalCount edges { cursor } } }',
    '{ providers { __proto__: id id } }',
  ];

  const overHttp = async (query: string): Promise<Answer> => {
    const response = await fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return (await response.json()) as Answer;
  };

  const overWebSocket = async (query: string): Promise<Answer> => {
    const client = wsClient(harness.gateway.graphqlUrl, KEY);
    try {
      const { refused: _refused, ...answer } = await wsRun(client, query);
      return answer as Answer;
    } finally {
      await client.dispose();
    }
  };

  for (const [transport, run] of [['HTTP', overHttp], ['WebSocket', overWebSocket]] as const) {
    it(`refuses it as the client's mistake, and the gateway goes on answering (${transport})`, async () => {
      for (const query of refused) {
        const answer = await run(query);
        expect([...new Set(answer.errors?.map((error) => error.extensions.code))], query).toEqual(['BAD_USER_INPUT']);
        expect(answer.errors![0]!.message, query).toContain('"__proto__"');
        expect(answer.data, query).toBeUndefined();
      }
      const after = await run('{ providers { id } }');
      expect(after).toEqual({ data: { providers: [{ id: 'zomro-test' }] } });
    });

    it(`answers other inherited names as aliases, as their own keys (${transport})`, async () => {
      const answer = await run('{ constructor: providers { toString: id hasOwnProperty: id } }');
      expect(answer).toEqual({ data: { constructor: [{ toString: 'zomro-test', hasOwnProperty: 'zomro-test' }] } });
    });
  }
});
