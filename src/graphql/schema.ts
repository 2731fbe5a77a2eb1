import { addResolversToSchema } from '@apollo/subgraph/dist/schema-helper/buildSchemaFromSDL.js';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { entitiesResolver } from '@apollo/subgraph/dist/types.js';
import { buildASTSchema, parse, type GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.js';
import { readSchemaText } from './schema-file.js';
import { deriveSubgraphSdl, type SubgraphSdl } from './subgraph-sdl.js';

export { SCHEMA_FILE, readSchemaText } from './schema-file.js';

/** The subgraph derived at build time: esbuild defines it in the bundle (scripts/build.mjs); under tsx it is not declared. */
declare const BACKUP_GRAPH_SUBGRAPH_SDL: SubgraphSdl | undefined;
const PREBUILT = typeof BACKUP_GRAPH_SUBGRAPH_SDL === 'undefined' ? undefined : BACKUP_GRAPH_SUBGRAPH_SDL;

/** The executable schema: schema.graphql + resolvers, as an Apollo Federation v2 subgraph. */
export async function buildSchema(): Promise<GraphQLSchema> {
  const source = readSchemaText();
  return executableSubgraph(PREBUILT?.source === source ? PREBUILT : await deriveSubgraphSdl(source));
}

/** What buildSubgraphSchema does once it has the subgraph's SDL: the federation resolvers, then ours. */
export function executableSubgraph(sdl: SubgraphSdl): GraphQLSchema {
  // Printed from a schema that buildSubgraphSchema validated.
  const schema = buildASTSchema(parse(sdl.schema), { assumeValidSDL: true });
  addResolversToSchema(schema, {
    Query: {
      _service: () => ({ sdl: sdl.service }),
      _entities: (_source: unknown, { representations }: { representations: unknown }, context: unknown, info) => entitiesResolver({ representations, context, info }),
    },
    _Entity: { __resolveType: (parent: { __typename: string }) => parent.__typename },
  });
  addResolversToSchema(schema, resolvers as GraphQLResolverMap<unknown>);
  return schema;
}
