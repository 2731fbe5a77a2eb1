import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse, type GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

export const readSchemaText = (): string => readFileSync(SCHEMA_FILE, 'utf8');

/** The executable schema: schema.graphql + resolvers, as an Apollo Federation v2 subgraph. */
export function buildSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: parse(readSchemaText()), resolvers: resolvers as GraphQLResolverMap<unknown> });
}
