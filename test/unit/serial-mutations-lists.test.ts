import { buildSchema, parse, type GraphQLObjectType } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { JitExecutor } from '../../src/graphql/jit-executor.js';

/**
 * The lists of a mutation's payload as resolvers may answer them: through a promise, nested, null,
 * or not a list at all. Each item fails later (its non-null `check` rejects) or at once (it
 * throws): beside serial-mutations.test.ts, whose list is a plain array of non-null items.
 */
const failsLater = { id: 'a', later: true };
const failsAtOnce = { id: 'b', later: false };

function executorFor(items: () => unknown) {
  const schema = buildSchema(`
    type Query { ok: Boolean }
    type Item { id: ID! check: String! }
    type Payload { items: [Item!] nested: [[Item!]!] }
    type Mutation { make: Payload! }
  `);
  schema.getMutationType()!.getFields().make!.resolve = () => ({});
  const payload = (schema.getType('Payload') as GraphQLObjectType).getFields();
  payload.items!.resolve = items;
  payload.nested!.resolve = items;
  (schema.getType('Item') as GraphQLObjectType).getFields().check!.resolve = (source: { later: boolean }) => {
    if (source.later) return Promise.reject(new Error('check failed later'));
    throw new Error('check failed at once');
  };
  return new JitExecutor(schema);
}

const unhandled: unknown[] = [];
const noteUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
const afterRejectionsTold = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function run(items: () => unknown, selection: string) {
  process.on('unhandledRejection', noteUnhandled);
  const source = `mutation { make { ${selection} } }`;
  const answer = await executorFor(items).execute({ document: parse(source), source, context: {} });
  await afterRejectionsTold();
  await afterRejectionsTold();
  return { data: answer.data, errors: answer.errors?.map((error) => ({ message: error.message, path: error.path })), unhandled: [...unhandled] };
}

afterEach(() => {
  process.off('unhandledRejection', noteUnhandled);
  unhandled.length = 0;
});

describe("a mutation payload's lists", () => {
  it('leaves no rejection unhandled where the list comes through a promise', async () => {
    expect(await run(() => Promise.resolve([failsLater, failsAtOnce]), 'items { check }')).toEqual({
      data: { make: { items: null } },
      errors: [{ message: 'check failed at once', path: ['make', 'items', 1, 'check'] }],
      unhandled: [],
    });
  });

  it('leaves no rejection unhandled in a list inside a list', async () => {
    expect(await run(() => [[failsLater, failsAtOnce]], 'nested { check }')).toEqual({
      data: { make: { nested: null } },
      errors: [{ message: 'check failed at once', path: ['make', 'nested', 0, 1, 'check'] }],
      unhandled: [],
    });
  });

  it('answers a list resolved to null as null', async () => {
    expect(await run(() => null, 'items { id } nested { id }')).toEqual({ data: { make: { items: null, nested: null } }, errors: undefined, unhandled: [] });
  });

  it('answers an item whose source is itself iterable by its fields, not as a list', async () => {
    const iterableItem = { id: 'i', *[Symbol.iterator]() { yield 'not an item'; } };
    expect(await run(() => [iterableItem], 'items { id }')).toEqual({ data: { make: { items: [{ id: 'i' }] } }, errors: undefined, unhandled: [] });
  });

  it("answers a list resolved to something that is not one with graphql-js's own error", async () => {
    for (const notAList of [7, 'ab', { id: 'c' }]) {
      expect(await run(() => notAList, 'items { id }')).toEqual({
        data: { make: { items: null } },
        errors: [{ message: 'Expected Iterable, but did not find one for field "Payload.items".', path: ['make', 'items'] }],
        unhandled: [],
      });
    }
  });
});
