import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

const SUBSCRIPTION = 'subscription($id: ID!) { operationUpdated(id: $id) { id status } }';

interface LogLine {
  level: number;
}

/**
 * A subscription runs in graphql-js's `subscribe`, not the executor that reads a query's variable
 * errors as the client's: a value the `ID` scalar refuses (an object, a boolean, a list) carried
 * the scalar's TypeError as its cause, and any client was answered INTERNAL_SERVER_ERROR
 * "internal error", counted in backup_graph_graphql_errors_total{code="INTERNAL_SERVER_ERROR"} and
 * logged at error level with a stack, as often as it sent one. Over HTTP the same value in a query
 * is BAD_USER_INPUT (test/security/client-mistakes.test.ts).
 */
describe("a subscription's variable of a value its type refuses is the client's mistake, over WebSocket", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it.each([
    ['an object', { a: 1 }],
    ['a boolean', true],
    ['a list', ['x', 'y']],
  ])('%s where an ID goes: BAD_USER_INPUT "got invalid value", no error line', async (_what, value) => {
    const before = harness.logs.length;
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const answer = await wsRun(client, SUBSCRIPTION, { id: value });
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.message).toContain('Variable "$id" got invalid value');
      expect(answer.data ?? null).toBeNull();
    } finally {
      await client.dispose();
    }
    const errorLines = harness.logs.slice(before).filter((line) => (JSON.parse(line) as LogLine).level >= 50);
    expect(errorLines).toEqual([]);
  });

  it('guard: a required variable left out is BAD_USER_INPUT as before', async () => {
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const answer = await wsRun(client, SUBSCRIPTION, {});
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.message).toContain('was not provided');
    } finally {
      await client.dispose();
    }
  });
});
