import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation, GraphQLRequestListener } from '@apollo/server';
import { GraphQLError, buildSchema, getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { introspectionCheck, introspectionPlugin } from '../../src/graphql/introspection.js';
import { costLimitPlugin } from '../../src/graphql/limits/cost-rule.js';
import { MAX_NESTING } from '../../src/graphql/limits/nesting.js';
import { nullVariablesPlugin } from '../../src/graphql/null-variables.js';
import { operationChecksPlugin, type OperationCheck } from '../../src/graphql/operation-checks.js';
import { errorLogPlugin, type RequestPipeline } from '../../src/graphql/pipeline.js';
import { unshapely, wideVariablesPlugin, type Unshapely } from '../../src/graphql/variable-shape.js';

/**
 * The checks Apollo runs at didResolveOperation, as one listener (operation-checks.ts): made once,
 * not per request (Apollo awaits every plugin's listener on each hook of every request), the
 * first listed to refuse answered. And the variable-shape walk, now recursive and allocation-free
 * for scalars, finding what the stack walk it replaced found.
 */
type Context = GraphQLRequestContextDidResolveOperation<object>;
const schema = buildSchema(`
  input Filter { name: String, note: String }
  type Query { find(filter: Filter): String, ids(ids: [ID!]): String }
`);
const contextFor = (query: string, variables?: Record<string, unknown>): Context => {
  const document = parse(query);
  return { document, operation: getOperationAST(document), schema, request: { variables }, contextValue: { reads: { principal: { roles: [] } } } } as unknown as Context;
};
const settled = (answer: Promise<void> | undefined): Promise<unknown> =>
  Promise.resolve(answer).then(
    () => null,
    (rejected: unknown) => rejected,
  );

describe('the checks at didResolveOperation', () => {
  const plugins: Array<[string, ApolloServerPlugin<object>]> = [
    ['cost', costLimitPlugin<object>({ maxCost: 1000, maxPageSize: 100, maxListArgument: 4 })],
    ['null variables', nullVariablesPlugin<object>()],
    ['wide variables', wideVariablesPlugin<object>()],
    ['introspection', introspectionPlugin(introspectionCheck(false)) as unknown as ApolloServerPlugin<object>],
    // Not a check, but made once alike: a listener that keeps nothing of a request.
    ['error log', errorLogPlugin({} as RequestPipeline) as unknown as ApolloServerPlugin<object>],
  ];
  it.each(plugins)('hand every request the one settled listener (%s): no promise or listener made per request', (_name, plugin) => {
    const first = plugin.requestDidStart!({} as never);
    expect(plugin.requestDidStart!({} as never)).toBe(first);
  });

  it('answer the first listed to refuse, and run none after it', async () => {
    const ran: string[] = [];
    const check =
      (name: string, refuses: boolean): OperationCheck<object> =>
      () => {
        ran.push(name);
        return refuses ? new GraphQLError(`${name} refused`, { extensions: { http: { status: 400 } } }) : null;
      };
    const plugin = operationChecksPlugin<object>([check('a', false), check('b', true), check('c', true)]);
    const listener = (await plugin.requestDidStart!({} as never)) as GraphQLRequestListener<object>;
    const error = await settled(listener.didResolveOperation!(contextFor('{ find }')));
    expect((error as GraphQLError).message).toBe('b refused');
    expect(ran).toEqual(['a', 'b']);
  });

  it('let a request through with the one settled promise when none refuses', async () => {
    const plugin = operationChecksPlugin<object>([() => null, () => null]);
    const listener = (await plugin.requestDidStart!({} as never)) as GraphQLRequestListener<object>;
    const first = listener.didResolveOperation!(contextFor('{ find }'));
    expect(listener.didResolveOperation!(contextFor('{ ids }'))).toBe(first);
    expect(await settled(first)).toBeNull();
  });

  it('still refuse a wide variable with a 400 through the combined listener', async () => {
    const wide = Object.fromEntries(Array.from({ length: 3 }, (_, index) => [`n${index}`, 1]));
    const listener = (await wideVariablesPlugin<object>().requestDidStart!({} as never)) as GraphQLRequestListener<object>;
    const error = (await settled(listener.didResolveOperation!(contextFor('query($f: Filter) { find(filter: $f) }', { f: wide })))) as GraphQLError;
    expect(error.message).toBe('Variable "$f" holds an object of 3 names, more than any input type has fields (2 at most): send only the fields its type names.');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', http: { status: 400 } });
  });
});

/** The walk unshapely did before (a stack of what is left), kept here to compare against. */
function unshapelyByStack(value: unknown, most: number): Unshapely | null {
  const pending: Array<{ item: unknown; depth: number }> = [{ item: value, depth: 1 }];
  while (pending.length > 0) {
    const { item, depth } = pending.pop() as { item: unknown; depth: number };
    if (typeof item !== 'object' || item === null) continue;
    if (depth > MAX_NESTING) return { deeper: true };
    if (Array.isArray(item)) {
      for (const entry of item) pending.push({ item: entry, depth: depth + 1 });
      continue;
    }
    const names = Object.keys(item);
    if (names.length > most) return { names: names.length };
    for (const name of names) pending.push({ item: (item as Record<string, unknown>)[name], depth: depth + 1 });
  }
  return null;
}

describe('unshapely', () => {
  const nested = (levels: number, leaf: unknown): unknown => {
    let value = leaf;
    for (let level = 0; level < levels; level++) value = level % 2 === 0 ? [value] : { inner: value };
    return value;
  };
  const wide = (names: number): Record<string, number> => Object.fromEntries(Array.from({ length: names }, (_, index) => [`n${index}`, index]));
  const values: unknown[] = [
    null,
    1,
    'text',
    [],
    {},
    // eslint-disable-next-line no-sparse-arrays
    [1, , 3],
    { a: 1, b: [1, 2, { c: null }] },
    wide(4),
    wide(5),
    [wide(5), nested(MAX_NESTING + 5, 1)],
    [nested(MAX_NESTING + 5, 1), wide(6)],
    { first: wide(7), second: wide(6) },
    { first: nested(MAX_NESTING, 1), second: nested(MAX_NESTING - 1, wide(9)) },
    nested(MAX_NESTING - 1, { x: 1 }),
    nested(MAX_NESTING, { x: 1 }),
    nested(MAX_NESTING + 1, 1),
    nested(100_000, 1),
  ];
  it.each(values.map((value, index) => [index, value]))('finds what the stack walk found (value %i)', (_index, value) => {
    expect(unshapely(value, 4)).toEqual(unshapelyByStack(value, 4));
  });
});
