import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { errorCodes, type Harness, startHarness, withLimits } from '../helpers/harness.js';

const ENTITIES = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Operation { id status kind startedAt provider { id name } } } }';

/** Well-formed Operation ids the provider never issued: each names a different backup task. */
const forgedOperations = (count: number, providerId = 'zomro-test') =>
  Array.from({ length: count }, (_, index) => ({ __typename: 'Operation', id: encodeId('Operation', providerId, ['CREATE_BACKUP', String(1_700_000_000_000 + index), String(900_000 + index), String(index)]) }));

describe('bounded work per request (default limits)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it('refuses _entities with 5000 distinct forged Operation ids before any upstream call', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql(ENTITIES, { representations: forgedOperations(5000) });
    expect(answer.status).toBe(400);
    expect(errorCodes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(answer.errors?.[0]?.message).toContain('limits.maxListArgument');
    expect(harness.upstreamCount()).toBe(0);
  });

  it('reads an operation named many times in one request once', async () => {
    const instances = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', {
      input: { instanceId: instances.data!.instances.edges[2]!.node.id, name: 'looked-up-once' },
    });
    const id = created.data!.createBackup.operation.id;
    harness.resetUpstreamLogs();
    const once = await harness.gql(ENTITIES, { representations: [{ __typename: 'Operation', id }] });
    expect(once.errors).toBeUndefined();
    const single = harness.upstreamCount();
    expect(single).toBeGreaterThan(0);
    harness.resetUpstreamLogs();
    const many = await harness.gql<{ _entities: Array<{ id: string } | null> }>(ENTITIES, { representations: Array.from({ length: 50 }, () => ({ __typename: 'Operation', id })) });
    expect(many.errors).toBeUndefined();
    expect(many.data?._entities).toHaveLength(50);
    expect(many.data?._entities.every((operation) => operation?.id === id)).toBe(true);
    expect(harness.upstreamCount()).toBe(single);
    // node() and operation() in the same request share the read too.
    harness.resetUpstreamLogs();
    const mixed = await harness.gql('query($id: ID!) { a: operation(id: $id) { status } b: node(id: $id) { id } c: operation(id: $id) { kind } }', { id });
    expect(mixed.errors).toBeUndefined();
    expect(harness.upstreamCount()).toBe(single);
  });
});

describe('bounded work per request (small limits)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: withLimits({ maxCost: 2_000, maxListArgument: 300, maxUpstreamCallsPerRequest: 5 }),
    });
  });
  afterAll(() => harness.close());

  it('counts each representation toward the cost: 290 of them cost 290 times one', async () => {
    harness.resetUpstreamLogs();
    const within = await harness.gql(ENTITIES, { representations: forgedOperations(5) });
    expect(errorCodes(within)).not.toContain('QUERY_TOO_COMPLEX');
    harness.resetUpstreamLogs();
    // Under maxListArgument (300), over maxCost (2,000): 290 x (1 + 7 fields).
    const dear = await harness.gql(ENTITIES, { representations: forgedOperations(290) });
    expect(errorCodes(dear)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(dear.errors?.[0]?.message).toMatch(/2320 > 2000/);
    expect(harness.upstreamCount()).toBe(0);
  });

  it('refuses a list written in the query text past maxListArgument (300)', async () => {
    harness.resetUpstreamLogs();
    const literal = (count: number) =>
      forgedOperations(count)
        .map(({ id }) => `{ __typename: "Operation", id: "${id}" }`)
        .join(',');
    // 400 x (1 + 1) is within maxCost and maxTokens: only the list's length refuses it.
    const answer = await harness.gql(`{ _entities(representations: [${literal(400)}]) { ... on Operation { id } } }`);
    expect(errorCodes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(answer.errors?.[0]?.message).toContain('limits.maxListArgument');
    expect(harness.upstreamCount()).toBe(0);
  });

  it('adds up the lists of every field: aliases cannot multiply the limit', async () => {
    harness.resetUpstreamLogs();
    const entities = (alias: string, variable: string) => `${alias}: _entities(representations: $${variable}) { ... on Operation { id } }`;
    const query = `query($a: [_Any!]!, $b: [_Any!]!) { ${entities('a', 'a')} ${entities('b', 'b')} }`;
    // 200 each: under 300 alone, 400 together.
    const answer = await harness.gql(query, { a: forgedOperations(200), b: forgedOperations(200) });
    expect(errorCodes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(answer.errors?.[0]?.message).toContain('limits.maxListArgument');
    expect(harness.upstreamCount()).toBe(0);
  });

  it('stops a request at maxUpstreamCallsPerRequest: further loads fail with QUERY_TOO_COMPLEX', async () => {
    harness.resetUpstreamLogs();
    // The instance list, then a backup and a schedule list per instance (6 of them): 13 calls, over a budget of 5.
    const answer = await harness.gql('{ instances { edges { node { id backups { id } schedules { id } } } } }');
    expect(errorCodes(answer)).toContain('QUERY_TOO_COMPLEX');
    expect(harness.upstreamCount()).toBeLessThanOrEqual(5);
    expect(answer.errors?.find((error) => error.extensions?.code === 'QUERY_TOO_COMPLEX')?.message).toContain('limits.maxUpstreamCallsPerRequest');
    // The budget is per request: the next one starts afresh.
    const small = await harness.gql('{ instances(first: 3) { edges { node { id } } } }');
    expect(small.errors).toBeUndefined();
  });
});
