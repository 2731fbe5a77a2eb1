import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse } from 'graphql';
import type { Harness } from './harness.js';

/** Another team's subgraph, as the federation tests compose it with ours. */
export interface OtherSubgraph {
  name: string;
  typeDefs: string;
  resolvers: GraphQLResolverMap<unknown>;
}

export interface Supergraph {
  /** POSTs a query to the composed supergraph, as a client of the router would. */
  query<T>(query: string): Promise<{ data: T; errors?: unknown }>;
  close(): Promise<void>;
}

async function listen(server: ApolloServer): Promise<string> {
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return url;
}

/**
 * Our gateway (the harness's, as the `backups` subgraph) composed with one
 * other subgraph by @apollo/gateway, the way a supergraph router introspects
 * and composes them, served on a port of its own.
 */
export async function startSupergraph(harness: Harness, other: OtherSubgraph): Promise<Supergraph> {
  const servers: ApolloServer[] = [];
  const close = async (): Promise<void> => {
    for (const server of servers.reverse()) await server.stop();
  };
  try {
    const otherServer = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(other.typeDefs), resolvers: other.resolvers }) });
    servers.push(otherServer);
    const otherUrl = await listen(otherServer);
    const gateway = new ApolloGateway({
      supergraphSdl: new IntrospectAndCompose({ subgraphs: [{ name: 'backups', url: harness.gateway.graphqlUrl }, { name: other.name, url: otherUrl }] }),
    });
    const supergraph = new ApolloServer({ gateway });
    servers.push(supergraph);
    const supergraphUrl = await listen(supergraph);
    return {
      async query<T>(query: string) {
        const response = await fetch(supergraphUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        return (await response.json()) as { data: T; errors?: unknown };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
