import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { wsClient } from '../helpers/ws.js';

const SYNC = 'mutation { syncBackups(input: { providerId: "zstack-test" }) { operation { id status } } }';
const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

/**
 * Naming an operation the document does not hold made Apollo hand the executor no operation and
 * skip everything it checks on the resolved one: the one operation ran all the same, a mutation
 * over GET included, and lists in variables went unpriced. Then the answer was a 500.
 */
describe('an operationName the document does not hold runs nothing', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
  });
  afterAll(() => harness.close());

  const send = async (init: RequestInit, search = ''): Promise<Answer> => {
    const response = await fetch(`${harness.gateway.graphqlUrl}${search}`, { ...init, headers: { 'apollo-require-preflight': 'true', 'content-type': 'application/json', ...init.headers } });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };
  const refusedAsTypo = (answer: Answer) => {
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(answer.body.errors?.[0]?.message).toBe('Unknown operation named "Nope".');
  };

  it('a mutation sent over GET is refused, never run (it synced the provider, then answered 500)', async () => {
    harness.resetUpstreamLogs();
    refusedAsTypo(await send({ method: 'GET' }, `?${new URLSearchParams({ query: SYNC, operationName: 'Nope' }).toString()}`));
    expect(harness.upstreamCount('zstack')).toBe(0);
    expect(harness.logs.some((line) => line.includes('"audit":true'))).toBe(false);
    // Named rightly, it is the usual refusal of a mutation over GET.
    const named = await send({ method: 'GET' }, `?${new URLSearchParams({ query: SYNC }).toString()}`);
    expect(named.status).toBe(405);
  });

  it('representations in variables past limits.maxListArgument are refused before any upstream call (they all loaded)', async () => {
    const representations = Array.from({ length: 1_500 }, (_, index) => ({
      __typename: 'Operation',
      id: encodeId('Operation', 'zstack-test', ['SYNC_BACKUPS', String(1_700_000_000_000 + index), '', '', `job-${index}`]),
    }));
    harness.resetUpstreamLogs();
    refusedAsTypo(await send({ method: 'POST', body: JSON.stringify({ query: ENTITIES, variables: { r: representations }, operationName: 'Nope' }) }));
    expect(harness.upstreamCount('zstack')).toBe(0);
    const unnamed = await send({ method: 'POST', body: JSON.stringify({ query: ENTITIES, variables: { r: representations } }) });
    expect(unnamed.body.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(harness.upstreamCount('zstack')).toBe(0);
  });

  it('an empty operationName is a name the document does not hold, said as such over HTTP and WebSocket (it said "multiple operations")', async () => {
    const answer = await send({ method: 'POST', body: JSON.stringify({ query: '{ __typename }', operationName: '' }) });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(answer.body.errors?.[0]?.message).toBe('Unknown operation named "".');
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const refused = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: '{ __typename }', operationName: '' }, { next: resolve, error: resolve, complete: () => {} });
      });
      expect(refused).toEqual([{ message: 'Unknown operation named "".', extensions: { code: 'BAD_USER_INPUT' } }]);
    } finally {
      await client.dispose();
    }
  });
  it('several operations and no operationName: the refusal names them and the field to send (a README block of two, pasted into curl, got graphql-js\'s words alone)', async () => {
    const twoOperations = 'query MakeBackup { __typename } query FollowOperation { __typename }';
    const expected = 'this one holds MakeBackup, FollowOperation. Send "operationName" beside "query" naming the one to run';
    const answer = await send({ method: 'POST', body: JSON.stringify({ query: twoOperations }) });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(answer.body.errors?.[0]?.message).toContain(expected);
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const refused = await new Promise<Array<{ message: string }>>((resolve) => {
        client.subscribe({ query: twoOperations }, { next: () => {}, error: (error) => resolve(error as Array<{ message: string }>), complete: () => {} });
      });
      expect(refused[0]?.message).toContain(expected);
    } finally {
      await client.dispose();
    }
    const many = Array.from({ length: 7 }, (_, index) => `query Q${index} { __typename }`).join(' ');
    const listed = await send({ method: 'POST', body: JSON.stringify({ query: many }) });
    expect(listed.body.errors?.[0]?.message).toContain('this one holds Q0, Q1, Q2, Q3, Q4, and 2 more.');
  });
});
