import type { GatewayGraphQLRequestContext, GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { GraphQLError, printSchema, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';

/** Distinct operations kept compiled; clients send a handful, GraphiQL users a few more. */
const MAX_COMPILED = 500;

/**
 * Apollo Server with graphql-jit as its executor. Apollo keeps everything
 * before execution (parsing with the token limit, validation with the depth,
 * alias and cost rules, the request pipeline's plugins, error formatting);
 * graphql-jit compiles each distinct operation once into a specialised
 * function, which serves a dashboard-sized answer several times cheaper than
 * graphql-js's generic walk (measured: see the README's benchmark).
 *
 * Apollo Server only accepts a custom executor through its gateway
 * interface, so this is a "gateway" with one fixed schema.
 */
export function jitExecutorGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new LRUCache<string, CompiledQuery>({ max: MAX_COMPILED });
  let listener: GatewaySchemaLoadOrUpdateCallback | null = null;

  const executor = async (request: GatewayGraphQLRequestContext): Promise<ExecutionResult> => {
    const key = `${request.operationName ?? ''}\u0000${request.source}`;
    let query = compiled.get(key);
    if (!query) {
      const result = compileQuery(schema, request.document, request.operationName ?? undefined);
      if (!isCompiledQuery(result)) return result;
      query = result;
      compiled.set(key, query);
    }
    const result = await query.query(undefined, request.context, request.request.variables ?? {});
    return result.errors ? { ...result, errors: result.errors.map(asStandardError) } : result;
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      listener = callback;
      return () => {
        listener = null;
      };
    },
    async load() {
      listener?.({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return { executor: executor as NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']> };
    },
    async stop() {
      compiled.clear();
    },
  };
}

/**
 * graphql-jit's errors leave `extensions` undefined where graphql-js always
 * sets an object, and Apollo's error formatting reads `extensions.code`:
 * rebuild each as a standard GraphQLError, keeping path, locations and cause.
 */
function asStandardError(error: GraphQLError): GraphQLError {
  const standard = new GraphQLError(error.message, {
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: error.extensions ?? {},
  });
  if (error.locations) Object.defineProperty(standard, 'locations', { value: error.locations, enumerable: true });
  return standard;
}
