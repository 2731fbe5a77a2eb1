import type { GraphQLRequestContextDidResolveOperation, GraphQLRequestListener } from '@apollo/server';
import { GraphQLError, buildSchema, getOperationAST, parse, print, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { nullForRequiredRefusal, nullVariablesCheck, nullVariablesPlugin, requiredUsageWalks } from '../../src/graphql/null-variables.js';

/**
 * The refusal of a variable sent null where a value is required, at its own interface: which
 * usages count (a non-null argument, input field, list item, `@include`'s `if`, inside a
 * fragment), which do not (a nullable one, a variable declared non-null, one left out or sent a
 * value), the words a client reads (the variable, the type, the default quoted up to 100
 * characters) and Apollo's side (a 400 refusal, nothing to refuse answered without one).
 * test/security/null-variables.test.ts shows the same over HTTP and WebSocket.
 */
const schema = buildSchema(`
  input Filter { status: [String!], name: String! , note: String }
  type Query {
    node(id: ID!): String
    find(filter: Filter, after: String): String
    pair(a: ID!, b: ID!): String
  }
`);

const operationOf = (query: string, name?: string): { document: ReturnType<typeof parse>; operation: OperationDefinitionNode } => {
  const document = parse(query);
  return { document, operation: getOperationAST(document, name)! };
};

const refusalFor = (query: string, variables: Record<string, unknown>): GraphQLError | null => {
  const { document, operation } = operationOf(query);
  return nullForRequiredRefusal(schema, document, operation, variables);
};

describe('a variable sent null where a value is required', () => {
  it('is refused as BAD_USER_INPUT naming the variable, the type, and the default to fall back on', () => {
    const refusal = refusalFor('query($id: ID = "x") { node(id: $id) }', { id: null });
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect(refusal!.message).toBe('Variable "$id" is null where a value of type "ID!" is required: send a value, or leave $id out for its default ("x").');
    expect(refusal!.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    // The variable's definition and the place it is used, for the error's locations.
    expect(refusal!.nodes?.map((node) => print(node))).toEqual(['$id: ID = "x"', '$id']);
  });

  it('without a default it is told only to send a value', () => {
    const { document } = operationOf('query($on: Boolean) { node(id: "1") @include(if: $on) }');
    // Validation would refuse a nullable variable without a default there; the check does not rely on it.
    const refusal = nullForRequiredRefusal(schema, document, getOperationAST(document)!, { on: null });
    expect(refusal?.message).toBe('Variable "$on" is null where a value of type "Boolean!" is required: send a value.');
  });

  it('quotes a long default only up to its first 100 characters', () => {
    const long = 'y'.repeat(300);
    const refusal = refusalFor(`query($id: ID = "${long}") { node(id: $id) }`, { id: null });
    expect(refusal?.message).toBe(`Variable "$id" is null where a value of type "ID!" is required: send a value, or leave $id out for its default (${`"${long}`.slice(0, 100)}).`);
  });

  it('counts an @include condition, a list item, an input field and a use inside a fragment', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['query($on: Boolean = true) { node(id: "1") @include(if: $on) }', { on: null }, 'Variable "$on" is null where a value of type "Boolean!"'],
      ['query($s: String = "a") { find(filter: { name: "n", status: [$s] }) }', { s: null }, 'Variable "$s" is null where a value of type "String!"'],
      ['query($n: String = "a") { find(filter: { name: $n }) }', { n: null }, 'Variable "$n" is null where a value of type "String!"'],
      ['query($id: ID = "x") { ...F } fragment F on Query { node(id: $id) }', { id: null }, 'Variable "$id" is null where a value of type "ID!"'],
    ];
    for (const [query, variables, words] of cases) expect(refusalFor(query, variables)?.message, query).toContain(words);
  });

  it('names the first such usage in the document when two variables are null', () => {
    const refusal = refusalFor('query($a: ID = "1", $b: ID = "2") { pair(a: $b, b: $a) }', { a: null, b: null });
    expect(refusal?.message).toContain('Variable "$b"');
  });

  it('is not refused where null may stand, for a variable declared non-null, left out, or sent a value', () => {
    expect(refusalFor('query($after: String = "x") { find(after: $after) }', { after: null })).toBeNull();
    expect(refusalFor('query($n: String = "x") { find(filter: { name: "n", note: $n }) }', { n: null })).toBeNull();
    // Declared non-null: graphql-js refuses its null itself, with its own words.
    expect(refusalFor('query($id: ID!) { node(id: $id) }', { id: null })).toBeNull();
    expect(refusalFor('query($id: ID!, $after: String) { node(id: $id) find(after: $after) }', { id: null, after: null })).toBeNull();
    expect(refusalFor('query($id: ID = "x") { node(id: $id) }', {})).toBeNull();
    expect(refusalFor('query($id: ID = "x") { node(id: $id) }', { id: '7' })).toBeNull();
    // Another variable sent null, where null may stand, does not make the required one's value null.
    expect(refusalFor('query($id: ID = "x", $after: String) { node(id: $id) find(after: $after) }', { id: '7', after: null })).toBeNull();
  });

  it('walks an operation once per schema, and again for another schema', () => {
    const { document, operation } = operationOf('query($id: ID = "x") { node(id: $id) }');
    const before = requiredUsageWalks.count;
    expect(nullForRequiredRefusal(schema, document, operation, { id: null })).not.toBeNull();
    expect(nullForRequiredRefusal(schema, document, operation, { id: null })).not.toBeNull();
    expect(requiredUsageWalks.count).toBe(before + 1);
    // A schema where the argument is nullable: its own walk, and nothing refused.
    const other = buildSchema('type Query { node(id: ID): String }');
    expect(nullForRequiredRefusal(other, document, operation, { id: null })).toBeNull();
    expect(requiredUsageWalks.count).toBe(before + 2);
    // Nothing sent null: no walk at all.
    const fresh = operationOf('query($id: ID = "x") { node(id: $id) }');
    expect(nullForRequiredRefusal(schema, fresh.document, fresh.operation, { id: '1' })).toBeNull();
    expect(requiredUsageWalks.count).toBe(before + 2);
  });
});

describe('nullVariablesCheck (the WebSocket path)', () => {
  const document = parse('query A($id: ID = "x") { node(id: $id) } query B($id: ID = "x") { find(after: $id) }');

  it('picks the operation by name as graphql-js does', () => {
    expect(nullVariablesCheck(schema, document, 'A', { id: null })?.extensions.code).toBe('BAD_USER_INPUT');
    expect(nullVariablesCheck(schema, document, 'B', { id: null })).toBeNull();
  });

  it('answers null when no one operation is named (graphql-js tells the client that itself)', () => {
    expect(nullVariablesCheck(schema, document, undefined, { id: null })).toBeNull();
    expect(nullVariablesCheck(schema, document, null, { id: null })).toBeNull();
    expect(nullVariablesCheck(schema, document, 'C', { id: null })).toBeNull();
    const single = parse('query($id: ID = "x") { node(id: $id) }');
    expect(nullVariablesCheck(schema, single, null, { id: null })).not.toBeNull();
  });
});

describe('nullVariablesPlugin (the Apollo side)', () => {
  type Context = GraphQLRequestContextDidResolveOperation<object>;
  const listenerOf = async (): Promise<GraphQLRequestListener<object>> => {
    const plugin = nullVariablesPlugin<object>();
    return (await plugin.requestDidStart!({} as never)) as GraphQLRequestListener<object>;
  };
  const contextFor = (query: string, variables: Record<string, unknown> | undefined): Context => {
    const { document, operation } = operationOf(query);
    return { document, operation, schema, request: { variables } } as unknown as Context;
  };

  it('rejects before anything runs with the refusal, its code, and a 400', async () => {
    const listener = await listenerOf();
    const answer = listener.didResolveOperation!(contextFor('query($id: ID = "x") { node(id: $id) }', { id: null }));
    const error = await Promise.resolve(answer).then(
      () => null,
      (rejected: unknown) => rejected,
    );
    expect(error).toBeInstanceOf(GraphQLError);
    const refusal = error as GraphQLError;
    expect(refusal.message).toBe('Variable "$id" is null where a value of type "ID!" is required: send a value, or leave $id out for its default ("x").');
    expect(refusal.extensions).toEqual({ code: 'BAD_USER_INPUT', http: { status: 400 } });
    expect(refusal.nodes?.map((node) => print(node))).toEqual(['$id: ID = "x"', '$id']);
  });

  it('lets a request through when there is nothing to refuse, with or without variables or an operation', async () => {
    const listener = await listenerOf();
    const sent = listener.didResolveOperation!(contextFor('query($id: ID = "x") { node(id: $id) }', { id: '1' }));
    const none = listener.didResolveOperation!(contextFor('query($id: ID = "x") { node(id: $id) }', undefined));
    const noOperation = listener.didResolveOperation!({ ...contextFor('{ node(id: "1") }', { id: null }), operation: undefined } as unknown as Context);
    for (const answer of [sent, none, noOperation]) await expect(answer).resolves.toBeUndefined();
  });
});
