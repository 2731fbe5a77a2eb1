import { defaultFieldResolver, execute, getNullableType, isListType, type DocumentNode, type ExecutionResult, type GraphQLFieldConfig, type GraphQLOutputType, type GraphQLSchema } from 'graphql';
import { withOutputFieldsChanged } from './output-types-copy.js';

/** How the executor runs one operation: a compiled graphql-jit query, or graphql-js for a mutation. */
export interface OperationRun {
  query(root: unknown, context: unknown, variables: Readonly<Record<string, unknown>>): Promise<ExecutionResult> | ExecutionResult;
}

/**
 * A mutation document runs on graphql-js, not graphql-jit. Its fields run one after another, and
 * once one of them is null where its type is non-null (its resolver failed or answered null, or a
 * non-null field deep in its payload did, nulling the payload) `data` is null and graphql-js runs
 * none after it. graphql-jit places its nulls only once every field has run, so it ran the later
 * mutations: a `createBackup` after a `deleteBackup` whose payload's `operation { status }` failed
 * acted at the provider while its client was told `data: null`. RootRefusals (root-refusals.ts)
 * can only see a root resolver fail; a payload's null is graphql-jit's to place.
 *
 * What graphql-jit saves is the warm walk of a large answer, many times over; a mutation's
 * answer is small and its cost is the provider's write, and graphql-js needs no compiling.
 *
 * It runs on a copy of the schema whose lists hand graphql-js each item as a promise
 * (itemsHandedLater).
 */
export function serialMutations(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): OperationRun {
  const mutationSchema = mutationSchemaOf(schema);
  return {
    query: (rootValue, contextValue, variableValues) => execute({ schema: mutationSchema, document, rootValue, contextValue, variableValues, operationName }),
  };
}

/** Built at the first mutation, after every resolver was installed on the schema (pipeline.ts), and kept while the schema lives. */
const mutationSchemas = new WeakMap<GraphQLSchema, GraphQLSchema>();

function mutationSchemaOf(schema: GraphQLSchema): GraphQLSchema {
  let mutationSchema = mutationSchemas.get(schema);
  if (!mutationSchema) {
    mutationSchema = withOutputFieldsChanged(schema, itemsHandedLater);
    mutationSchemas.set(schema, mutationSchema);
  }
  return mutationSchema;
}

/**
 * graphql-js 16 completes a list's items in one pass and, at an item of a non-null type that
 * fails at once, throws out of it: the items before it that were still running are never waited
 * on, nor the items after it looked at. One of those failing later (a non-null field rejecting) was
 * an unhandled rejection: a fault logged and counted, the GatewayUnhandledRejection alert. Every
 * item handed over as a promise fails later, if at all: each is waited on, and the list's first
 * failure is its error as before. No list of today's resolvers is known to answer such items (an
 * item's only non-null field that waits, Provider.health, never rejects, and the mappers check
 * what the non-null scalars hold), but nothing in the schema keeps a new resolver from it.
 * Queries are graphql-jit's, which waits on every item.
 */
function itemsHandedLater(field: GraphQLFieldConfig<unknown, unknown>): GraphQLFieldConfig<unknown, unknown> {
  const { resolve = defaultFieldResolver, type } = field;
  if (!isListType(getNullableType(type))) return field;
  return { ...field, resolve: (source, args, context, info) => asPromisedItems(resolve(source, args, context, info), type) };
}

function asPromisedItems(value: unknown, type: GraphQLOutputType): unknown {
  const list = getNullableType(type);
  if (!isListType(list)) return value;
  if (value instanceof Promise) return value.then((settled: unknown) => asPromisedItems(settled, type));
  // Not a list: graphql-js's own error for it, as before.
  if (typeof value !== 'object' || value === null || !(Symbol.iterator in value)) return value;
  const itemType: GraphQLOutputType = list.ofType;
  return Array.from(value as Iterable<unknown>, (item) => Promise.resolve(item).then((settled) => asPromisedItems(settled, itemType)));
}
