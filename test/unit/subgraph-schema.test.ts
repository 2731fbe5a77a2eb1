import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { isObjectType, parse, printSchema, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { resolvers } from '../../src/graphql/resolvers/index.js';
import { executableSubgraph, readSchemaText } from '../../src/graphql/schema.js';
import { deriveSubgraphSdl } from '../../src/graphql/subgraph-sdl.js';

/** Every field's resolver, by Type.field: what execution will call. */
const fieldResolvers = (schema: GraphQLSchema) =>
  Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .flatMap((type) => Object.values(type.getFields()).map((field) => [`${type.name}.${field.name}`, field.resolve] as const));

describe('the subgraph schema built from SDL derived ahead of time', () => {
  const source = readSchemaText();
  const reference = buildSubgraphSchema({ typeDefs: parse(source), resolvers: resolvers as GraphQLResolverMap<unknown> });

  it('is the schema buildSubgraphSchema makes: same types and fields, same resolvers, same _service SDL', async () => {
    const derived = await deriveSubgraphSdl(source);
    const ours = executableSubgraph(derived);
    expect(printSchema(ours)).toBe(printSchema(reference));
    const theirs = new Map(fieldResolvers(reference));
    // Our own resolvers are the same functions; federation's two are wrappers of the same work.
    for (const [field, resolve] of fieldResolvers(ours)) {
      if (field === 'Query._service' || field === 'Query._entities') expect(resolve, field).toBeTypeOf('function');
      else expect(resolve, field).toBe(theirs.get(field));
    }
    const sdl = (schema: GraphQLSchema) => (schema.getQueryType()?.getFields()._service?.resolve as unknown as () => { sdl: string })().sdl;
    expect(sdl(ours)).toBe(sdl(reference));
    expect(sdl(ours)).toContain('@key(fields: "id")');
  });
});
