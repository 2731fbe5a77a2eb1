import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { MAX_MESSAGE_CHARACTERS } from '../../src/graphql/errors.js';
import { VALIDATION_ABORTED_MESSAGE } from '../../src/graphql/limits/index.js';
import { type Harness, startHarness, withClients, withTrustedLoopbackProxy } from '../helpers/harness.js';

const KEY = 'mistakes-key-0123456789abcdef';
const NODE = 'query($id: ID!) { node(id: $id) { id } }';
const BY_KIND = 'query($k: ProviderKind) { instances(kind: $k) { totalCount } }';
const FILTERED = 'query($f: BackupFilter) { backups(filter: $f) { totalCount } }';
/** A 200 KB variable's refusal takes milliseconds; the old hint search took minutes. */
const SPACES_ANSWERED_WITHIN_MS = 5_000;

interface LogLine {
  level: number;
  requestId?: string;
  msg: string;
  code?: string;
}

/** Each a mistake of the client's, with a bit of what the answer must say. */
const MISTAKES: Array<{ name: string; query: string; variables: Record<string, unknown>; says: string }> = [
  { name: 'a variable of the wrong type', query: NODE, variables: { id: { a: 1 } }, says: '"$id" got invalid value' },
  { name: 'a missing required variable', query: NODE, variables: {}, says: 'was not provided' },
  { name: 'a bad enum value', query: BY_KIND, variables: { k: 'ZOMR' }, says: 'Value "ZOMR" does not exist in "ProviderKind" enum.' },
  { name: 'an unknown input field', query: FILTERED, variables: { f: { providerIdd: 'x' } }, says: 'Field "providerIdd" is not defined' },
  { name: 'an out-of-range DateTime', query: FILTERED, variables: { f: { createdAfter: '2024-13-45T00:00:00Z' } }, says: 'DateTime' },
  { name: 'a lone surrogate in an id', query: 'query($id: ID!) { operation(id: $id) { status } }', variables: { id: encodeId('Operation', 'zomro-test', ['\ud800', 'x']) }, says: 'malformed id' },
  // A README placeholder or a provider's own number where a global id goes: the answer names the type the field wants.
  { name: 'a README placeholder as an operation id', query: 'query($id: ID!) { operation(id: $id) { status } }', variables: { id: '<Operation id>' }, says: "malformed id: send an Operation's `id` as the gateway answered it" },
  { name: "a provider's own number as a backup id", query: 'query($id: ID!) { backup(id: $id) { id } }', variables: { id: '5300017' }, says: "malformed id: send a Backup's `id` as the gateway answered it" },
  { name: "a provider's own number as an instance id", query: 'query($id: ID!) { instance(id: $id) { id } }', variables: { id: '5203773' }, says: "send an Instance's `id`" },
  { name: 'an empty status list (match nothing, or no filter?)', query: FILTERED, variables: { f: { status: [] } }, says: 'filter.status must name at least one value' },
  {
    name: 'an empty protection list',
    query: 'query($f: InstanceFilter) { instances(filter: $f) { totalCount } }',
    variables: { f: { protection: [], rpoHours: 24 } },
    says: 'filter.protection must name at least one value',
  },
  { name: 'a subscription sent over HTTP', query: 'subscription { operationUpdated(id: "x") { status } }', variables: {}, says: 'WebSocket' },
];

describe('client mistakes are BAD_USER_INPUT, logged below error level with the request id', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      // The request ids sent below are used only from a trusted proxy.
      configure: [withClients([{ name: 'dashboard', key: KEY, roles: ['viewer'] }], { introspection: false }), withTrustedLoopbackProxy()],
    });
  });
  afterAll(() => harness.close());

  it.each(MISTAKES)('$name', async ({ query, variables, says }) => {
    const requestId = `mistake-${Math.random().toString(36).slice(2)}`;
    const answer = await harness.gql(query, variables, { key: KEY, headers: { 'x-request-id': requestId } });
    expect(answer.status).toBeLessThan(500);
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const message = answer.errors![0]!.message;
    expect(message).toContain(says);
    expect(message).not.toContain('Did you mean');
    const lines = harness.logs.map((line) => JSON.parse(line) as LogLine).filter((line) => line.requestId === requestId);
    expect(lines.some((line) => line.code === 'BAD_USER_INPUT' && line.level < 50)).toBe(true);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  });

  it('still reads a filter list left out, null or with values as before', async () => {
    const all = await harness.gql<{ backups: { totalCount: number } }>(FILTERED, { f: {} }, { key: KEY });
    const nulled = await harness.gql<{ backups: { totalCount: number } }>(FILTERED, { f: { status: null } }, { key: KEY });
    const every = await harness.gql<{ backups: { totalCount: number } }>(FILTERED, { f: { status: ['AVAILABLE'] } }, { key: KEY });
    expect(all.data!.backups.totalCount).toBeGreaterThan(0);
    expect(nulled.data!.backups.totalCount).toBe(all.data!.backups.totalCount);
    expect(every.errors).toBeUndefined();
    expect(every.data!.backups.totalCount).toBeGreaterThan(0);
    expect(every.data!.backups.totalCount).toBeLessThanOrEqual(all.data!.backups.totalCount);
    const instances = await harness.gql<{ instances: { totalCount: number } }>('{ instances(filter: { protection: null }) { totalCount } }', {}, { key: KEY });
    expect(instances.data!.instances.totalCount).toBeGreaterThan(0);
  });

  it.each([
    { name: 'a persisted-query hash that is not the query\'s', persistedQuery: { version: 1, sha256Hash: 'not-the-hash' }, says: 'provided sha does not match query' },
    { name: 'a persisted-query version other than 1', persistedQuery: { version: 2, sha256Hash: 'x' }, says: 'Unsupported persisted query version' },
  ])('$name (Apollo leaves its code out, and the answer was an internal error)', async ({ persistedQuery, says }) => {
    const requestId = `apq-${Math.random().toString(36).slice(2)}`;
    const response = await fetch(harness.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, 'x-request-id': requestId },
      body: JSON.stringify({ query: '{ providers { id } }', extensions: { persistedQuery } }),
    });
    const answer = (await response.json()) as { errors?: Array<{ message: string; extensions?: { code?: string } }> };
    expect(response.status).toBe(400);
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toBe(says);
    const lines = harness.logs.map((line) => JSON.parse(line) as LogLine).filter((line) => line.requestId === requestId);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  });

  it.each([
    { name: 'a number', sha256Hash: 17, says: 'a number' },
    { name: 'left out', sha256Hash: undefined, says: 'left out' },
    { name: 'an object', sha256Hash: { hex: 'abc' }, says: 'an object' },
  ])('a persisted-query hash that is $name, alone or with its query, over POST and GET (alone it was HTTP 200 PersistedQueryNotFound, which no text sent after could cure)', async ({ sha256Hash, says }) => {
    const requestId = `apq-hash-${Math.random().toString(36).slice(2)}`;
    const headers = { authorization: `Bearer ${KEY}`, 'x-request-id': requestId, 'apollo-require-preflight': 'true' };
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const post = (body: Record<string, unknown>) => fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const search = new URLSearchParams({ extensions: JSON.stringify(extensions) });
    const responses = [
      await post({ extensions }),
      await post({ query: '{ providers { id } }', extensions }),
      await fetch(`${harness.gateway.graphqlUrl}?${search.toString()}`, { headers }),
    ];
    for (const response of responses) {
      const answer = (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
      expect(response.status).toBe(400);
      expect(answer.data).toBeUndefined();
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.message).toBe(`extensions.persistedQuery.sha256Hash must be a string, the query's SHA-256 in hex, not ${says}`);
    }
    const lines = harness.logs.map((line) => JSON.parse(line) as LogLine).filter((line) => line.requestId === requestId);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  });

  it('an operationName the document does not hold, over POST and GET (it ran the only operation, and Apollo answered 500)', async () => {
    const requestId = `opname-${Math.random().toString(36).slice(2)}`;
    const headers = { authorization: `Bearer ${KEY}`, 'x-request-id': requestId, 'apollo-require-preflight': 'true' };
    const posted = await fetch(harness.gateway.graphqlUrl, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Mine { providers { id } }', operationName: 'Typo' }),
    });
    const search = new URLSearchParams({ query: 'query Mine { providers { id } }', operationName: 'T'.repeat(5000) });
    const got = await fetch(`${harness.gateway.graphqlUrl}?${search.toString()}`, { headers });
    for (const response of [posted, got]) {
      const answer = (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
      expect(response.status).toBe(400);
      expect(answer.data).toBeUndefined();
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.message).toMatch(/^Unknown operation named "(Typo|T{100})"\.$/);
    }
    const lines = harness.logs.map((line) => JSON.parse(line) as LogLine).filter((line) => line.requestId === requestId);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  });

  it('quotes at most 1,000 characters of what the client sent, in the answer and the log (a 1 MB value was quoted whole)', async () => {
    const requestId = `long-${Math.random().toString(36).slice(2)}`;
    const answer = await harness.gql(NODE, { id: { a: 'x'.repeat(500_000) } }, { key: KEY, headers: { 'x-request-id': requestId } });
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const message = answer.errors![0]!.message;
    expect(message.startsWith('Variable "$id" got invalid value')).toBe(true);
    expect(message.length).toBe(MAX_MESSAGE_CHARACTERS);
    expect(answer.text.length).toBeLessThan(2 * MAX_MESSAGE_CHARACTERS);
    const lines = harness.logs.filter((line) => line.includes(requestId));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.length).toBeLessThan(2 * MAX_MESSAGE_CHARACTERS);
  });

  it('answers a value of 200,000 spaces at once (the hint search went back over the message from every space: 80,000 held the event loop 15 s)', async () => {
    const started = performance.now();
    const response = await fetch(harness.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query: 'query($n: Int) { instances(first: $n) { totalCount } }', variables: { n: ' '.repeat(200_000) } }),
      // Far longer than the answer takes; the old search took minutes.
      signal: AbortSignal.timeout(SPACES_ANSWERED_WITHIN_MS),
    });
    const answer = (await response.json()) as { errors?: Array<{ message: string; extensions?: { code?: string } }> };
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors![0]!.message.startsWith('Variable "$n" got invalid value')).toBe(true);
    const tookMs = performance.now() - started;
    expect(tookMs, `200,000 spaces took ${Math.round(tookMs)} ms to refuse: the hint search goes back over the message again`).toBeLessThan(SPACES_ANSWERED_WITHIN_MS);
  });

  it('counts them as BAD_USER_INPUT in /metrics, none as internal errors', async () => {
    const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    const count = Number(/backup_graph_graphql_errors_total\{code="BAD_USER_INPUT"\} (\d+)/.exec(text)?.[1]);
    expect(count).toBeGreaterThanOrEqual(MISTAKES.length);
    expect(text).not.toContain('code="INTERNAL_SERVER_ERROR"');
  });

  it('words limit refusals as limits, not syntax errors, and the introspection refusal names the config key', async () => {
    const deep = await harness.gql('{ backups { edges { node { instance { backups { instance { backups { instance { backups { instance { id } } } } } } } } } } }', {}, { key: KEY });
    expect(deep.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(deep.errors![0]!.message).toMatch(/^Query depth limit of 10 exceeded, found \d+ \(limits\.maxDepth\): nest fewer selections/);
    const long = await harness.gql(`{ providers { ${Array.from({ length: 6000 }, () => 'id').join(' ')} } }`, {}, { key: KEY });
    expect(long.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(long.errors![0]!.message).toBe('Token limit of 5000 exceeded: send a shorter document.');
    // graphql-js's own work limit on merging same-named fields: it said "Validation aborted.", as BAD_USER_INPUT.
    const repeated = await harness.gql(`{ providers { ${Array.from({ length: 1000 }, () => 'id').join(' ')} } }`, {}, { key: KEY });
    expect(repeated.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(repeated.errors![0]!.message).toBe(VALIDATION_ABORTED_MESSAGE);
    const introspection = await harness.gql('{ __type(name: "Query") { name } }', {}, { key: KEY });
    expect(introspection.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(introspection.errors![0]!.message).toContain('`introspection: true` in the config');
  });
});
