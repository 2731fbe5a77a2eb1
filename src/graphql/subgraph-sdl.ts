import { parse, printSchema } from 'graphql';

/**
 * What Apollo Federation makes of schema.graphql, as text. `schema`: the
 * executable schema with federation's additions (`_Entity`, `_Any`,
 * `Query._entities`, `Query._service`, the directive definitions);
 * `service`: the SDL `_service { sdl }` answers. `source` is the
 * schema.graphql they were derived from.
 */
export interface SubgraphSdl {
  source: string;
  schema: string;
  service: string;
}

/**
 * Derives the subgraph with @apollo/subgraph. That loads
 * @apollo/federation-internals and costs ~0.3 s of CPU and a few MB for good,
 * so the build does it once and the bundle carries the result
 * (scripts/build.mjs); only tsx, or a schema.graphql edited since the build,
 * derives it at start.
 */
export async function deriveSubgraphSdl(source: string): Promise<SubgraphSdl> {
  const { buildSubgraphSchema } = await import('@apollo/subgraph');
  const subgraph = buildSubgraphSchema({ typeDefs: parse(source) });
  // buildSubgraphSchema keeps the service SDL only inside its `_service` resolver, which reads no arguments.
  const serviceResolver = subgraph.getQueryType()?.getFields()._service?.resolve as unknown as (() => { sdl: string }) | undefined;
  if (!serviceResolver) throw new Error('buildSubgraphSchema added no Query._service');
  return { source, schema: printSchema(subgraph), service: serviceResolver().sdl };
}
