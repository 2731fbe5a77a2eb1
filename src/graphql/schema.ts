import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse, type GraphQLSchema } from 'graphql';
import { installEntityOwnFields } from './entity-own-fields.js';
import { describeFederationFields } from './federation-descriptions.js';
import { resolvers } from './resolvers/index.js';
import { readSchemaText } from './schema-file.js';

export { SCHEMA_FILE, readSchemaText } from './schema-file.js';

/** The executable schema: schema.graphql + resolvers, as an Apollo Federation v2 subgraph. */
export function buildSchema(): GraphQLSchema {
  const schema = buildSubgraphSchema({ typeDefs: parse(readSchemaText()), resolvers: resolvers as GraphQLResolverMap<unknown> });
  installEntityOwnFields(schema);
  describeFederationFields(schema);
  return schema;
}
