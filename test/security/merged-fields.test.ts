import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MERGED_FIELDS } from '../../src/graphql/limits/merged-fields.js';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

/**
 * A query repeating one field with sub-fields a few hundred times, within
 * the token limit, cost graphql-js's overlapping-fields rule 150-210 ms of
 * validation a request. It is refused before validation, on every path.
 */
const MANY = `{ ${Array.from({ length: MAX_MERGED_FIELDS + 1 }, () => 'providers { id }').join(' ')} }`;

describe('the merged-fields limit, over HTTP and WebSocket', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it('refuses it over HTTP with QUERY_TOO_COMPLEX (400), logged below error level, counted, with no provider call', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql(MANY);
    expect(answer.status).toBe(400);
    expect(errorCodes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(answer.errors?.[0]?.message).toContain(`"providers" is selected ${MAX_MERGED_FIELDS + 1} times`);
    const requestId = answer.headers.get('x-request-id');
    const lines = harness.logs.map((line) => JSON.parse(line) as { requestId?: string; code?: string; level: number }).filter((line) => line.requestId === requestId);
    expect(lines).toEqual([expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', level: 30 })]);
    const metrics = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/backup_graph_graphql_errors_total\{code="QUERY_TOO_COMPLEX"\} [1-9]/);
    expect(harness.simulator('zomro').server.count(() => true)).toBe(0);
  });

  it('refuses it sent as a GET too', async () => {
    const response = await fetch(`${harness.gateway.graphqlUrl}?query=${encodeURIComponent(MANY)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors.map((error) => error.extensions.code)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('refuses it sent as a GET behind 1,000 other parameters (express read no further, so the check saw no query; Apollo Server validated it)', async () => {
    const response = await fetch(`${harness.gateway.graphqlUrl}?${'a&'.repeat(1_000)}query=${encodeURIComponent(MANY)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(400);
    const [error] = ((await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> }).errors;
    expect(error?.message).toContain(`"providers" is selected ${MAX_MERGED_FIELDS + 1} times`);
  });

  it('refuses it over WebSocket with the same error', async () => {
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const answer = await wsRun(client, MANY);
      expect(answer.refused).toBe(true);
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(answer.errors?.[0]?.message).toContain(`"providers" is selected ${MAX_MERGED_FIELDS + 1} times`);
    } finally {
      await client.dispose();
    }
  });

  it(`still answers ${MAX_MERGED_FIELDS} of them, and a query that does not parse as before`, async () => {
    const allowed = await harness.gql(`{ ${Array.from({ length: MAX_MERGED_FIELDS }, () => 'providers { id }').join(' ')} }`);
    expect(allowed.errors).toBeUndefined();
    const broken = await harness.gql(`{ ${Array.from({ length: MAX_MERGED_FIELDS + 1 }, () => 'providers { id }').join(' ')} `);
    expect(broken.status).toBe(400);
    expect(errorCodes(broken)).toEqual(['BAD_USER_INPUT']);
  });
});
