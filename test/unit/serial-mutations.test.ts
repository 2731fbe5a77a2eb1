import { buildSchema, parse, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { JitExecutor } from '../../src/graphql/jit-executor.js';

/**
 * A payload's `[Item!]!` whose first item fails later (its non-null `check` rejects) and whose
 * second fails at once (its `check` throws). graphql-js 16's list completion throws at the second
 * and never waits on the first: its rejection was left unhandled (the gateway's
 * GatewayUnhandledRejection alert). None of today's resolvers is known to answer this shape (see
 * serial-mutations.ts); this one is made to.
 */
function payloadSchema(): { schema: GraphQLSchema; mutationsRun: string[] } {
  const mutationsRun: string[] = [];
  const schema = buildSchema(`
    type Query { ok: Boolean }
    type Item { id: ID! check: String! }
    type Payload { items: [Item!]! }
    type Mutation { make: Payload! other: Boolean }
  `);
  const failsLater = { id: 'a', later: true };
  const failsAtOnce = { id: 'b', later: false };
  const mutation = schema.getMutationType()!.getFields();
  mutation.make!.resolve = () => {
    mutationsRun.push('make');
    return { items: [failsLater, failsAtOnce] };
  };
  mutation.other!.resolve = () => {
    mutationsRun.push('other');
    return true;
  };
  const item = schema.getType('Item') as GraphQLObjectType;
  item.getFields().check!.resolve = (source: { later: boolean }) => {
    if (source.later) return Promise.reject(new Error('check failed later'));
    throw new Error('check failed at once');
  };
  return { schema, mutationsRun };
}

const unhandled: unknown[] = [];
const noteUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

/** Resolves once the rejections of the turn just ended have been handled or reported as unhandled. */
const afterRejectionsTold = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('serialMutations', () => {
  afterEach(() => {
    process.off('unhandledRejection', noteUnhandled);
    unhandled.length = 0;
  });

  it("leaves no rejection unhandled where a payload's list has an item failing later before one failing at once", async () => {
    process.on('unhandledRejection', noteUnhandled);
    const { schema, mutationsRun } = payloadSchema();
    const executor = new JitExecutor(schema);
    const source = 'mutation { make { items { check id } } other }';
    const answer = await executor.execute({ document: parse(source), source, context: {} });
    await afterRejectionsTold();
    await afterRejectionsTold();
    expect(unhandled).toEqual([]);
    // The answer is graphql-js's as before: the item failing at once nulls the payload and so `data`, and no mutation after it runs.
    expect(answer.data).toBeNull();
    expect(mutationsRun).toEqual(['make']);
    expect(answer.errors?.map((error) => ({ message: error.message, path: error.path }))).toEqual([{ message: 'check failed at once', path: ['make', 'items', 1, 'check'] }]);
  });

  it('leaves the schema queries are compiled from as it was: its list fields keep their own resolvers (guard)', async () => {
    const { schema } = payloadSchema();
    const items = (schema.getType('Payload') as GraphQLObjectType).getFields().items!;
    const before = items.resolve;
    const executor = new JitExecutor(schema);
    const source = 'mutation { other }';
    expect((await executor.execute({ document: parse(source), source, context: {} })).data).toEqual({ other: true });
    expect(items.resolve).toBe(before);
  });
});
