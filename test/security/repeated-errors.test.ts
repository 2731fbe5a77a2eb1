import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SAME_ERRORS } from '../../src/graphql/repeated-errors.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

/** 120 directives where one is allowed: graphql-js finds the repeat 119 times, and stops at its 100 errors. */
const REPEATED = `{ providers ${'@skip(if: false) '.repeat(120)} { id } }`;
const ONCE_ONLY = 'The directive "@skip" can only be used once at this location.';

describe('an answer shows a repeated request error a few times and counts the rest', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  const messagesOf = (errors: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>) => errors.map((error) => error.message);

  it('over HTTP: the directive limit, the repeat three times, one error counting the rest; an answer smaller than the request', async () => {
    const answer = await harness.gql(REPEATED);
    expect(answer.status).toBe(400);
    const errors = answer.errors ?? [];
    // Before: 100 errors, 17,893 bytes for a 2,061-byte request.
    expect(messagesOf(errors).filter((message) => message === ONCE_ONLY)).toHaveLength(MAX_SAME_ERRORS);
    expect(errors).toContainEqual({ message: `${ONCE_ONLY} (96 more like it left out)`, extensions: { code: 'BAD_USER_INPUT', repeated: 96 } });
    expect(messagesOf(errors)[0]).toBe('Directives limit of 50 exceeded, found 120.');
    expect(answer.text.length).toBeLessThan(REPEATED.length);
  });

  it('over WebSocket alike', async () => {
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const answer = await wsRun(client, REPEATED);
      const errors = answer.errors ?? [];
      expect(messagesOf(errors).filter((message) => message === ONCE_ONLY)).toHaveLength(MAX_SAME_ERRORS);
      expect(errors).toContainEqual({ message: `${ONCE_ONLY} (96 more like it left out)`, extensions: { code: 'BAD_USER_INPUT', repeated: 96 } });
      expect(errors.length).toBeLessThanOrEqual(MAX_SAME_ERRORS + 3);
    } finally {
      await client.dispose();
    }
  });

  it('counts in /metrics the errors the answer shows, not every repeat (over HTTP and WebSocket)', async () => {
    const counted = async () => {
      const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
      return Number(/backup_graph_graphql_errors_total\{code="BAD_USER_INPUT"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    const shownBadInput = (errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined) => (errors ?? []).filter((error) => error.extensions?.code === 'BAD_USER_INPUT').length;
    const before = await counted();
    const overHttp = await harness.gql(REPEATED);
    // Before: 99 counted for the 4 shown.
    expect(await counted()).toBe(before + shownBadInput(overHttp.errors));
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const overWs = await wsRun(client, REPEATED);
      expect(await counted()).toBe(before + shownBadInput(overHttp.errors) + shownBadInput(overWs.errors));
    } finally {
      await client.dispose();
    }
  });

  it('a few repeats are all shown', async () => {
    const answer = await harness.gql(`{ providers ${'@skip(if: false) '.repeat(MAX_SAME_ERRORS + 1)} { id } }`);
    expect(messagesOf(answer.errors ?? [])).toEqual(Array<string>(MAX_SAME_ERRORS).fill(ONCE_ONLY));
  });
});
