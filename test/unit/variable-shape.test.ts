import type { GraphQLRequestContextDidResolveOperation, GraphQLRequestListener } from '@apollo/server';
import { GraphQLError, buildSchema, getOperationAST, parse, print, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING } from '../../src/graphql/limits/nesting.js';
import { unshapely, wideVariableRefusal, wideVariablesCheck, wideVariablesPlugin, widestInputObject } from '../../src/graphql/variable-shape.js';

/**
 * The refusal of a variable no input type can take, at its own interface: an object of more names
 * than the schema's widest input type has fields, or nesting past MAX_NESTING, anywhere in the
 * value (in lists too); the words a client reads, which variable is named, and Apollo's side (a
 * 400 refusal). test/security/wide-variable-objects.test.ts shows the same over HTTP and WebSocket.
 */
const schema = buildSchema(`
  input Pair { a: String, b: String }
  input Filter { status: [String!], name: String, note: String }
  type Query { find(filter: Filter, pair: Pair, tags: [String]): String }
`);
const WIDEST = 3;

const objectOf = (names: number): Record<string, number> => Object.fromEntries(Array.from({ length: names }, (_, at) => [`n${at}`, at]));
const listsNested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
};
const objectsNested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level++) value = { inner: value };
  return value;
};

const operationOf = (query: string, name?: string): OperationDefinitionNode => getOperationAST(parse(query), name)!;

describe('widestInputObject', () => {
  it('is the most fields any input type of the schema has, each schema its own', () => {
    expect(widestInputObject(schema)).toBe(WIDEST);
    expect(widestInputObject(schema)).toBe(WIDEST);
    expect(widestInputObject(buildSchema('input One { a: Int } type Query { f(o: One): Int }'))).toBe(1);
    expect(widestInputObject(buildSchema('type Query { f(a: Int): Int }'))).toBe(0);
  });
});

describe('unshapely', () => {
  it('lets through an object of exactly the widest names, and plain values', () => {
    expect(unshapely(objectOf(WIDEST), WIDEST)).toBeNull();
    for (const value of [null, undefined, 0, 'text', true, [], {}, [1, 'a', null]]) expect(unshapely(value, WIDEST)).toBeNull();
  });

  it('lets through a list of more items than any input type has fields: a list is no object of names', () => {
    const items = Array.from({ length: 50 }, (_, at) => `tag-${at}`);
    expect(unshapely(items, WIDEST)).toBeNull();
    expect(unshapely({ status: items }, WIDEST)).toBeNull();
    expect(unshapely([objectOf(WIDEST), objectOf(WIDEST), objectOf(WIDEST), objectOf(WIDEST)], WIDEST)).toBeNull();
  });

  it('finds an object of one name more, at the top, inside an object or inside a list', () => {
    expect(unshapely(objectOf(WIDEST + 1), WIDEST)).toEqual({ names: WIDEST + 1 });
    expect(unshapely({ a: objectOf(WIDEST + 2) }, WIDEST)).toEqual({ names: WIDEST + 2 });
    expect(unshapely([1, [objectOf(WIDEST + 1)]], WIDEST)).toEqual({ names: WIDEST + 1 });
    expect(unshapely(objectOf(1), 0)).toEqual({ names: 1 });
  });

  it('lets lists and objects nest MAX_NESTING deep, and finds one level more', () => {
    expect(MAX_NESTING).toBe(200);
    expect(unshapely(listsNested(MAX_NESTING), WIDEST)).toBeNull();
    expect(unshapely(objectsNested(MAX_NESTING), WIDEST)).toBeNull();
    expect(unshapely(listsNested(MAX_NESTING + 1), WIDEST)).toEqual({ deeper: true });
    expect(unshapely(objectsNested(MAX_NESTING + 1), WIDEST)).toEqual({ deeper: true });
    // Lists and objects count alike, and no stack is spent on depth.
    expect(unshapely({ a: [{ b: listsNested(MAX_NESTING - 3) }] }, WIDEST)).toBeNull();
    expect(unshapely({ a: [{ b: listsNested(MAX_NESTING - 2) }] }, WIDEST)).toEqual({ deeper: true });
    expect(unshapely(listsNested(100_000), WIDEST)).toEqual({ deeper: true });
  });
});

describe('wideVariableRefusal', () => {
  const query = 'query($pair: Pair, $filter: Filter, $tags: [String]) { find(filter: $filter, pair: $pair, tags: $tags) }';

  it('names the variable holding a wide object, its names and the widest, as BAD_USER_INPUT at its definition', () => {
    const refusal = wideVariableRefusal(schema, operationOf(query), { pair: { a: 'x' }, filter: { name: 'x', ...objectOf(WIDEST + 1) } });
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect(refusal!.message).toBe(`Variable "$filter" holds an object of ${WIDEST + 2} names, more than any input type has fields (${WIDEST} at most): send only the fields its type names.`);
    expect(refusal!.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(refusal!.nodes?.map((node) => print(node))).toEqual(['$filter: Filter']);
  });

  it('names the variable nesting too deep, and says to send a flatter value', () => {
    const refusal = wideVariableRefusal(schema, operationOf(query), { tags: listsNested(MAX_NESTING + 1) });
    expect(refusal!.message).toBe(`Variable "$tags" nests objects and lists more than ${MAX_NESTING} deep, deeper than any input type: send a flatter value.`);
    expect(refusal!.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(refusal!.nodes?.map((node) => print(node))).toEqual(['$tags: [String]']);
  });

  it('refuses nothing where every variable fits, is left out, or none is declared', () => {
    expect(wideVariableRefusal(schema, operationOf(query), { pair: objectOf(WIDEST), filter: null, tags: ['a'] })).toBeNull();
    expect(wideVariableRefusal(schema, operationOf(query), { filter: { status: ['a', 'b', 'c', 'd', 'e'] }, tags: ['a', 'b', 'c', 'd', 'e', 'f'] })).toBeNull();
    expect(wideVariableRefusal(schema, operationOf(query), {})).toBeNull();
    // A value under a name no variable declares is graphql-js's to ignore.
    expect(wideVariableRefusal(schema, operationOf('{ find }'), { pair: objectOf(WIDEST + 1) })).toBeNull();
    expect(wideVariableRefusal(schema, operationOf(query), { other: objectOf(WIDEST + 1) })).toBeNull();
  });
});

describe('wideVariablesCheck (the WebSocket side)', () => {
  const document = parse('query Narrow($pair: Pair) { find(pair: $pair) } query Wide($filter: Filter) { find(filter: $filter) }');
  const variables = { pair: objectOf(WIDEST + 1), filter: { name: 'x' } };

  it('reads the operation picked by name, and none where the name picks none', () => {
    expect(wideVariablesCheck(schema, document, 'Narrow', variables)?.message).toContain('"$pair"');
    expect(wideVariablesCheck(schema, document, 'Wide', variables)).toBeNull();
    expect(wideVariablesCheck(schema, document, 'Missing', variables)).toBeNull();
    expect(wideVariablesCheck(schema, document, null, variables)).toBeNull();
  });

  it('takes the only operation when no name is given', () => {
    const single = parse('query($pair: Pair) { find(pair: $pair) }');
    expect(wideVariablesCheck(schema, single, null, variables)?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(wideVariablesCheck(schema, single, undefined, variables)?.message).toContain('"$pair"');
  });
});

describe('wideVariablesPlugin (the Apollo side)', () => {
  type Context = GraphQLRequestContextDidResolveOperation<object>;
  const listenerOf = async (): Promise<GraphQLRequestListener<object>> => (await wideVariablesPlugin<object>().requestDidStart!({} as never)) as GraphQLRequestListener<object>;
  const contextFor = (query: string, variables: Record<string, unknown> | undefined): Context => ({ operation: operationOf(query), schema, request: { variables } }) as unknown as Context;
  const query = 'query($pair: Pair) { find(pair: $pair) }';

  it('rejects before anything runs with the refusal, its code, and a 400', async () => {
    const listener = await listenerOf();
    const error = await Promise.resolve(listener.didResolveOperation!(contextFor(query, { pair: objectOf(WIDEST + 1) }))).then(
      () => null,
      (rejected: unknown) => rejected,
    );
    expect(error).toBeInstanceOf(GraphQLError);
    const refusal = error as GraphQLError;
    expect(refusal.message).toBe(`Variable "$pair" holds an object of ${WIDEST + 1} names, more than any input type has fields (${WIDEST} at most): send only the fields its type names.`);
    expect(refusal.extensions).toEqual({ code: 'BAD_USER_INPUT', http: { status: 400 } });
    expect(refusal.nodes?.map((node) => print(node))).toEqual(['$pair: Pair']);
  });

  it('lets a request through when there is nothing to refuse, with or without variables or an operation', async () => {
    const listener = await listenerOf();
    const fits = listener.didResolveOperation!(contextFor(query, { pair: { a: 'x' } }));
    const none = listener.didResolveOperation!(contextFor(query, undefined));
    const noOperation = listener.didResolveOperation!({ ...contextFor(query, { pair: objectOf(WIDEST + 1) }), operation: undefined } as unknown as Context);
    for (const answer of [fits, none, noOperation]) await expect(answer).resolves.toBeUndefined();
  });
});
