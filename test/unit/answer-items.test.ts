import { buildSchema, execute, isObjectType, parse, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/domain/errors.js';
import { AnswerItemsGuard } from '../../src/graphql/limits/answer-items.js';

/**
 * The items of every list of objects an execution resolves, counted against `limits.maxCost`:
 * past it the lists that follow answer empty (nothing more loaded) and the execution's answer is
 * one QUERY_TOO_COMPLEX refusal. A list of scalars, or one resolved outside an execution, is not
 * counted.
 */
const SDL = `
  interface Node { id: ID! }
  type Instance implements Node { id: ID! backups: [Backup!]! tags: [String!]! }
  type Backup implements Node { id: ID! }
  union Found = Instance | Backup
  type Query { instances: [Instance!]! grid: [[Backup]] found: [Found!]! nodes: [Node!]! first: Instance names: [String!]! none: [Backup] }
  type Subscription { changed: Instance! }
`;

const backups = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => ({ __typename: 'Backup', id: `${prefix}-b${index}` }));
const instance = (id: string) => ({ __typename: 'Instance', id, backups: backups(id, 3), tags: ['a', 'b', 'c', 'd'] });
/** Times the grid's resolver ran: a provider's list loaded. */
let gridReads = 0;
/** Three instances of three backups: 12 items of lists of objects; one list served late, as a provider's is. */
const root = {
  instances: () => Promise.resolve([instance('i1'), instance('i2'), instance('i3')]),
  grid: () => {
    gridReads += 1;
    return [backups('g1', 2), backups('g2', 2)];
  },
  none: null,
  found: [instance('f1'), ...backups('f', 2)],
  nodes: backups('n', 2),
  first: instance('i0'),
  names: Array.from({ length: 50 }, (_, index) => `name-${index}`),
};

function guarded(limit: number) {
  const schema = buildSchema(SDL);
  const guard = new AnswerItemsGuard(limit);
  guard.install(schema);
  const run = async (query: string, begun = true) => {
    const context = {};
    if (begun) guard.begin(context);
    const result = await execute({ schema, document: parse(query), rootValue: root, contextValue: context });
    return { data: JSON.parse(JSON.stringify(result.data)) as Record<string, unknown>, errors: result.errors ?? [], refusal: guard.end(context) };
  };
  return { schema, guard, run };
}

const INSTANCES = '{ instances { id backups { id } } }';

describe('AnswerItemsGuard: the items of lists of objects, counted as they resolve', () => {
  it('answers a query whose lists hold the limit exactly, and refuses one item more, its later lists empty', async () => {
    const atLimit = await guarded(12).run(INSTANCES);
    expect(atLimit.refusal).toBeNull();
    expect((atLimit.data.instances as unknown[]).length).toBe(3);

    const { data, refusal } = await guarded(11).run(INSTANCES);
    expect(refusal?.message).toBe(
      'Query cost limit exceeded as the query ran: its lists held more than 11 items (limits.maxCost; a list without first is priced at 5). Ask for fewer nested lists.',
    );
    expect(isGatewayError(refusal?.originalError) && refusal.originalError.code).toBe('QUERY_TOO_COMPLEX');
    // The first two instances' backups fit (3 + 3 + 3 = 9), the third's pass the limit and answer empty.
    expect((data.instances as { backups: unknown[] }[]).map((item) => item.backups.length)).toEqual([3, 3, 0]);
  });

  it('answers empty the list that passes the limit, and every list after it without loading it', async () => {
    gridReads = 0;
    const { data, refusal } = await guarded(2).run('{ nodes { id } found { __typename } grid { id } }');
    expect(refusal).not.toBeNull();
    expect(data).toEqual({ nodes: [{ id: 'n-b0' }, { id: 'n-b1' }], found: [], grid: [] });
    // Past the limit a list is not even loaded.
    expect(gridReads).toBe(0);
  });

  it('counts lists of unions, of interfaces and lists of lists of objects, not lists of text', async () => {
    const { run } = guarded(3);
    expect((await run('{ found { __typename } }')).refusal).toBeNull();
    expect((await run('{ found { __typename } nodes { id } }')).refusal).not.toBeNull();
    expect((await run('{ grid { id } }')).refusal).toBeNull();
    expect((await run('{ grid { id } nodes { id } }')).refusal).not.toBeNull();
    expect((await run('{ names first { tags } }')).refusal).toBeNull();
    expect((await run('{ first { backups { id } } }')).refusal).toBeNull();
    expect((await run('{ first { id backups { id } } nodes { id } }')).refusal).not.toBeNull();
  });

  it('answers a list a provider left out (null) as null, counting nothing', async () => {
    expect(await guarded(0).run('{ none { id } }')).toEqual({ data: { none: null }, errors: [], refusal: null });
  });

  it('installs on a schema without subscriptions', async () => {
    const schema = buildSchema('type Backup { id: ID! } type Query { backups: [Backup!]! }');
    const guard = new AnswerItemsGuard(1);
    guard.install(schema);
    const context = {};
    guard.begin(context);
    const result = await execute({ schema, document: parse('{ backups { id } }'), rootValue: { backups: backups('q', 2) }, contextValue: context });
    expect(result.data).toEqual({ backups: [] });
    expect(guard.end(context)).not.toBeNull();
  });

  it('leaves introspection alone: its lists of types and fields are not counted', async () => {
    const { data, refusal } = await guarded(1).run('{ __schema { types { name fields { name } } } }');
    expect(refusal).toBeNull();
    expect((data.__schema as { types: unknown[] }).types.length).toBeGreaterThan(5);
  });

  it('counts nothing outside an execution, and each execution from zero', async () => {
    const { guard, run } = guarded(12);
    const outside = await run(INSTANCES, false);
    expect(outside.refusal).toBeNull();
    expect((outside.data.instances as { backups: unknown[] }[]).map((item) => item.backups.length)).toEqual([3, 3, 3]);
    expect((await run(INSTANCES)).refusal).toBeNull();
    expect((await run(INSTANCES)).refusal).toBeNull();
    expect(guard.end(null)).toBeNull();
    expect(guard.end('a context of text')).toBeNull();
    guard.begin(null);
    guard.begin('a context of text');
    expect(guard.end({})).toBeNull();
  });

  it("begins a subscription update's count at its root field, which graphql-js resolves outside the executor", async () => {
    const { schema, guard } = guarded(2);
    const context = {};
    const changed = schema.getSubscriptionType()?.getFields().changed;
    const info = { fieldName: 'changed' } as GraphQLResolveInfo;
    const update = await changed?.resolve?.({ changed: instance('s1') }, {}, context, info);
    expect(update).toEqual(instance('s1'));
    const instanceType = schema.getType('Instance');
    const resolveBackups = isObjectType(instanceType) ? instanceType.getFields().backups?.resolve : undefined;
    expect(resolveBackups?.(instance('s1'), {}, context, { fieldName: 'backups' } as GraphQLResolveInfo)).toEqual([]);
    expect(guard.end(context)).not.toBeNull();
  });
});
