import { buildClientSchema, getIntrospectionQuery, isEnumType, isInputObjectType, isInterfaceType, isObjectType, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

/** Every type, field, argument and enum value of `schema` without a description, as GraphiQL's explorer shows it. */
function undescribed(introspection: IntrospectionQuery): string[] {
  const schema = buildClientSchema(introspection);
  const bare: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
    if (!type.description) bare.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) bare.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) if (!arg.description) bare.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) bare.push(`${type.name}.${value.name}`);
  }
  return bare;
}

/**
 * GraphiQL's explorer, read from introspection: what @apollo/subgraph adds (`_entities`, `_service`,
 * `_Any`, `_Entity`, the `@link` spec's types) had no description, the only bare entries of the schema.
 */
describe('introspection: every type, field, argument and enum value has a description', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it('those Apollo Federation adds too', async () => {
    const answer = await harness.gql<IntrospectionQuery>(getIntrospectionQuery({ inputValueDeprecation: true }));
    expect(answer.errors).toBeUndefined();
    expect(undescribed(answer.data!)).toEqual([]);
  });
});
