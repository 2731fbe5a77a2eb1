/**
 * The servers behind the bench's serving floors (bench/floor.ts runs one per
 * process): each answers the dashboard query from its answer held in memory,
 * with less and less of the gateway's stack around it.
 *
 * - json: bare node:http, JSON.parse of the request, JSON.stringify of the
 *   stored answer: what answering costs any server, GraphQL aside.
 * - graphql: the same, the answer made by graphql-jit executing the query
 *   over the stored data (our schema, default resolvers): GraphQL's own floor.
 * - apollo: that graphql-jit execution behind Apollo Server 5 on express 5,
 *   set up as the gateway sets them up (the executor through Apollo's gateway
 *   interface, the same options and disabled plugins, express.json, no ETag): the
 *   floor of the stack the gateway is built on, before any of its own work
 *   (auth, limits, metrics, loaders, read cache).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { parse, printSchema, type DocumentNode, type GraphQLSchema } from 'graphql';
import { readSchemaText } from '../src/graphql/schema.js';

export type FloorMode = 'json' | 'graphql' | 'apollo';

export interface FloorServer {
  url: string;
  close(): Promise<void>;
}

interface StoredAnswer {
  data: unknown;
}

/** Serves `answer` at `/graphql` on a loopback port, made as `mode` says. */
export async function serveFloor(answer: StoredAnswer, mode: FloorMode): Promise<FloorServer> {
  if (mode === 'apollo') return serveWithApollo(answer);
  const execute = mode === 'json' ? () => answer : jitOverMemory(answer);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string };
      void Promise.resolve(execute(request.query)).then((value) => {
        const body = JSON.stringify(value);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
  });
  return listening(server);
}

/** graphql-jit over the stored data, each distinct query compiled once (as the gateway's executor does). */
function jitOverMemory(answer: StoredAnswer, schema: GraphQLSchema = floorSchema()) {
  const compiled = new Map<string, CompiledQuery>();
  // The document is parsed only for a query not compiled yet, as graphql-jit's callers cache it.
  return (source: string, document?: DocumentNode) => {
    let query = compiled.get(source);
    if (!query) {
      const result = compileQuery(schema, document ?? parse(source));
      if (!isCompiledQuery(result)) throw new Error('the floor could not compile the dashboard query');
      query = result;
      compiled.set(source, query);
    }
    return query.query(answer.data, {}, {});
  };
}

const floorSchema = () => buildSubgraphSchema({ typeDefs: parse(readSchemaText()) });

async function serveWithApollo(answer: StoredAnswer): Promise<FloorServer> {
  const schema = floorSchema();
  const execute = jitOverMemory(answer, schema);
  const executor: GatewayExecutor = async (request) => execute(request.source, request.document);
  const gateway: GatewayInterface = {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    load: async () => ({ executor }),
    stop: async () => undefined,
  };
  const apollo = new ApolloServer({
    gateway,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const app = express();
  // As the gateway: no weak ETag (a SHA-1 of every answer), which the floor would pay and the gateway does not.
  app.set('etag', false);
  app.use('/graphql', express.json({ limit: 1024 * 1024 }), expressMiddleware(apollo));
  const server = await listening(createServer(app));
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await apollo.stop();
    },
  };
}

function listening(server: Server): Promise<FloorServer> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    ),
  );
}
