import { GraphQLError, GraphQLScalarType, Kind, buildSchema, getOperationAST, parse, print, valueFromASTUntyped, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { hoistScalarLiteralVariables, hoistedValues } from '../../src/graphql/scalar-literal-variables.js';

/**
 * A scalar's literal holding variables (`_entities(representations: [{__typename: "Provider",
 * id: $id}])`, as a person writes it in GraphiQL) is taken out of the document into a variable of
 * its own, so graphql-jit, which parses a literal once at compile time with no variables, gets it
 * parsed per request with the request's variables, as graphql-js does. At the module's interface:
 * which literals are taken, the names and definitions they get, and the values they are given.
 */
const schema = buildSchema(`
  scalar Any
  input Wrap { any: Any, name: String }
  type Query {
    one(rep: Any): String
    many(reps: [Any!]!): String
    wrapped(w: Wrap): String
    nested(reps: [[Any]]): String
    plain(id: ID, n: Int): String
  }
`);
// What federation's _Any does: the literal read with the request's variables.
const any = schema.getType('Any') as GraphQLScalarType;
any.parseLiteral = (literal, variables) => {
  const value = valueFromASTUntyped(literal, variables);
  if (value !== null && typeof value === 'object' && 'refuse' in value) throw new Error('no such representation');
  if (value !== null && typeof value === 'object' && 'throwText' in value) throw 'not an Error';
  return value;
};

const hoisting = (query: string) => {
  const original = parse(query);
  return { original, ...hoistScalarLiteralVariables(schema, original) };
};
const printed = (document: DocumentNode): string => print(document).replace(/\s+/g, ' ');

describe('hoistScalarLiteralVariables', () => {
  it('leaves a document with no variable inside an object or list literal as it is', () => {
    // The last: a variable inside an input object's literal, where no scalar's literal holds it.
    for (const query of ['{ one(rep: {a: 1, b: [2]}) }', 'query($r: Any) { one(rep: $r) }', '{ many(reps: [{a: 1}]) }', 'query($n: String) { wrapped(w: {name: $n}) }']) {
      const { original, document, hoisted } = hoisting(query);
      expect(document, query).toBe(original);
      expect(hoisted, query).toEqual([]);
    }
  });

  it('takes a scalar\'s object literal holding a variable into a nullable variable of that scalar, declared on the operation', () => {
    const { document, hoisted } = hoisting('query Q($id: ID) { one(rep: {__typename: "Provider", id: $id}) }');
    expect(printed(document)).toBe('query Q($id: ID, $scalarLiteral0: Any) { one(rep: $scalarLiteral0) }');
    expect(hoisted.map(({ name, literal, type }) => [name, print(literal), type.name])).toEqual([['scalarLiteral0', '{__typename: "Provider", id: $id}', 'Any']]);
  });

  it('takes a list literal of the scalar\'s items whole, and one item where a list is wanted as a list of it', () => {
    // graphql-js reads a list literal item by item; as one literal the scalar reads the same list.
    const listed = hoisting('query($a: ID, $b: ID) { many(reps: [{id: $a}, {id: "fixed"}, {id: $b}]) }');
    expect(printed(listed.document)).toBe('query ($a: ID, $b: ID, $scalarLiteral0: Any) { many(reps: $scalarLiteral0) }');
    expect(listed.hoisted.map(({ name, literal }) => [name, print(literal)])).toEqual([['scalarLiteral0', '[{id: $a}, {id: "fixed"}, {id: $b}]']]);
    expect(hoistedValues(schema, getOperationAST(listed.original) ?? undefined, listed.hoisted, { a: '1', b: '2' })).toEqual({ scalarLiteral0: [{ id: '1' }, { id: 'fixed' }, { id: '2' }] });
    const single = hoisting('query($a: ID) { many(reps: {id: $a}) }');
    expect(printed(single.document)).toBe('query ($a: ID, $scalarLiteral0: Any) { many(reps: [$scalarLiteral0]) }');
    expect(single.hoisted.map(({ literal, type }) => [print(literal), type.name])).toEqual([['{id: $a}', 'Any']]);
  });

  it('takes a list literal of the scalar, and the scalar inside an input object, not the input object', () => {
    const list = hoisting('query($a: ID) { one(rep: [1, [$a]]) }');
    expect(printed(list.document)).toBe('query ($a: ID, $scalarLiteral0: Any) { one(rep: $scalarLiteral0) }');
    expect(print(list.hoisted[0]!.literal)).toBe('[1, [$a]]');
    const wrapped = hoisting('query($a: ID, $n: String) { wrapped(w: {name: $n, any: {id: $a}}) }');
    expect(printed(wrapped.document)).toBe('query ($a: ID, $n: String, $scalarLiteral0: Any) { wrapped(w: {name: $n, any: $scalarLiteral0}) }');
    // A list of lists: the outer list holds lists, no item of the scalar; the inner one is taken whole.
    const nested = hoisting('query($a: ID) { nested(reps: [[{id: $a}]]) }');
    expect(printed(nested.document)).toBe('query ($a: ID, $scalarLiteral0: Any) { nested(reps: [$scalarLiteral0]) }');
  });

  it('names each new variable apart from every variable the document already uses', () => {
    const { document, hoisted } = hoisting('query($scalarLiteral0: ID, $scalarLiteral0_0: ID, $scalarLiteral1: ID) { a: one(rep: {id: $scalarLiteral0}) b: one(rep: {id: $scalarLiteral0_0, c: $scalarLiteral1}) }');
    expect(hoisted.map(({ name }) => name)).toEqual(['scalarLiteral0_1', 'scalarLiteral1_0']);
    expect(printed(document)).toContain('a: one(rep: $scalarLiteral0_1) b: one(rep: $scalarLiteral1_0)');
  });

  it('declares the new variables on every operation, for a literal inside a fragment any of them spreads', () => {
    const { document } = hoisting('query A($id: ID) { ...F } query B { ...F } fragment F on Query { one(rep: {id: $id}) }');
    expect(printed(document)).toBe('query A($id: ID, $scalarLiteral0: Any) { ...F } query B($scalarLiteral0: Any) { ...F } fragment F on Query { one(rep: $scalarLiteral0) }');
  });
});

describe('hoistedValues', () => {
  const valuesFor = (query: string, variables: Record<string, unknown>, withOperation = true) => {
    const { original, hoisted } = hoisting(query);
    return hoistedValues(schema, withOperation ? getOperationAST(original) ?? undefined : undefined, hoisted, variables);
  };

  it('parses each literal with the request\'s variables, coerced as graphql-js coerces them (defaults included)', () => {
    expect(valuesFor('query($id: ID, $n: Int = 5) { one(rep: {__typename: "Provider", id: $id, n: $n}) }', { id: 7 })).toEqual({ scalarLiteral0: { __typename: 'Provider', id: '7', n: 5 } });
  });

  it('parses with the variables as sent where they do not coerce (the executor refuses them itself), or with no operation', () => {
    expect(valuesFor('query($n: Int) { one(rep: {n: $n}) }', { n: 'many' })).toEqual({ scalarLiteral0: { n: 'many' } });
    expect(valuesFor('query($id: ID) { one(rep: {id: $id}) }', { id: 7 }, false)).toEqual({ scalarLiteral0: { id: 7 } });
  });

  it('refuses a literal its scalar refuses as BAD_USER_INPUT, quoting the literal and the scalar\'s reason', () => {
    let refusal: unknown;
    try {
      valuesFor('query($id: ID) { one(rep: {refuse: true, id: $id}) }', { id: '1' });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(GraphQLError);
    const error = refusal as GraphQLError;
    expect(error.message).toBe('{refuse: true, id: $id} is not a valid Any: no such representation');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(error.nodes?.map((node) => node.kind)).toEqual([Kind.OBJECT]);
    expect(() => valuesFor('query($id: ID) { one(rep: {throwText: true, id: $id}) }', { id: '1' })).toThrow(/^\{throwText: true, id: \$id\} is not a valid Any$/);
  });
});
