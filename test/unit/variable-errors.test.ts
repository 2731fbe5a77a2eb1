import { buildSchema, GraphQLError, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { variableErrors } from '../../src/graphql/variable-errors.js';

/**
 * The errors a client is told for variables graphql-jit refused: graphql-js's words, bounded as
 * graphql-js bounds them, and graphql-jit's own where graphql-js has none to give.
 */
const schema = buildSchema('type Query { item(id: ID!): Boolean items(ids: [Int!]): Boolean }');
const refused = [new GraphQLError('refused by graphql-jit')];
const messages = (errors: readonly GraphQLError[]) => errors.map((error) => error.message);

describe('variableErrors', () => {
  it("gives graphql-js's errors, at most 50 and its note that it stopped, for a request with many bad variables", () => {
    const names = Array.from({ length: 60 }, (_, index) => `v${index}`);
    const document = parse(`query Many(${names.map((name) => `$${name}: ID!`).join(', ')}) { item(id: $v0) }`);
    const variables = Object.fromEntries(names.map((name) => [name, { not: 'an id' }]));
    const errors = messages(variableErrors(schema, document, 'Many', variables, refused));
    expect(errors).toHaveLength(51);
    expect(errors[0]).toBe('Variable "$v0" got invalid value { not: "an id" }; ID cannot represent value: { not: "an id" }');
    expect(errors[50]).toBe('Too many errors processing variables, error limit reached. Execution aborted.');
  });

  it('names a required variable not sent, with no variables object at all (guard)', () => {
    const document = parse('query One($id: ID!) { item(id: $id) }');
    expect(messages(variableErrors(schema, document, undefined, undefined, refused))).toEqual(['Variable "$id" of required type "ID!" was not provided.']);
  });

  it("keeps graphql-jit's errors where the document names no one operation to read variables of", () => {
    const document = parse('query A($id: ID!) { item(id: $id) } query B { items }');
    expect(variableErrors(schema, document, undefined, {}, refused)).toBe(refused);
    expect(variableErrors(schema, document, 'C', {}, refused)).toBe(refused);
  });

  it("keeps graphql-jit's errors where graphql-js takes the variables after all", () => {
    const document = parse('query Some($ids: [Int!]) { items(ids: $ids) }');
    expect(variableErrors(schema, document, 'Some', { ids: [1, 2] }, refused)).toBe(refused);
    expect(variableErrors(schema, document, 'Some', null, refused)).toBe(refused);
  });
});
