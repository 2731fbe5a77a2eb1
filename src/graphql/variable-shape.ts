import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, getOperationAST, isInputObjectType, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { MAX_NESTING } from './limits/nesting.js';
import { operationChecksPlugin, type OperationCheck } from './operation-checks.js';

/**
 * A variable holding an object with more names than any input type of the schema has fields,
 * refused before graphql-js reads it: its coercion reports each unknown name with the whole
 * object quoted (graphql-js's `inspect` lists every name of an object), up to 50 times, so one
 * object of 80,000 names in an 870 KB body held the event loop 11 s (HTTP and WebSocket alike,
 * queries, mutations and subscriptions). No such object can be a valid input, so the refusal
 * costs a client nothing it could have had.
 *
 * Nor one nesting objects and lists deeper than a document may (MAX_NESTING): JSON.parse takes
 * 100,000 levels, and graphql-scalars' DateTime quoted such a value with JSON.stringify, whose
 * recursion ran out of stack: the answer said "Maximum call stack size exceeded". No input type
 * of the schema nests past a few levels.
 */
const widestBySchema = new WeakMap<GraphQLSchema, number>();

/** The most fields any input object type of `schema` has. */
export function widestInputObject(schema: GraphQLSchema): number {
  let widest = widestBySchema.get(schema);
  if (widest === undefined) {
    widest = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (isInputObjectType(type)) widest = Math.max(widest, Object.keys(type.getFields()).length);
    }
    widestBySchema.set(schema, widest);
  }
  return widest;
}

/** What makes a value no input type can take: an object of more names than `most`, or nesting past MAX_NESTING. */
export type Unshapely = { names: number } | { deeper: true };

/**
 * The first object in `value` (at any depth, in lists too) of more names than `most`, or a level
 * past MAX_NESTING; null for neither. Found in the order a stack of what is left to look at finds
 * it (an object's names before its values, its last value first). A scalar is answered at once,
 * and the walk allocates nothing but an object's names: it recurses, at most MAX_NESTING calls
 * deep, as it stops at the level past that (JSON may nest deeper than the stack, the walk never does).
 */
export function unshapely(value: unknown, most: number): Unshapely | null {
  return typeof value === 'object' && value !== null ? unshapelyAt(value, 1, most) : null;
}

function unshapelyAt(item: object, depth: number, most: number): Unshapely | null {
  if (depth > MAX_NESTING) return { deeper: true };
  if (Array.isArray(item)) {
    for (let index = item.length - 1; index >= 0; index--) {
      const entry: unknown = item[index];
      const found = typeof entry === 'object' && entry !== null ? unshapelyAt(entry, depth + 1, most) : null;
      if (found) return found;
    }
    return null;
  }
  const names = Object.keys(item);
  if (names.length > most) return { names: names.length };
  for (let index = names.length - 1; index >= 0; index--) {
    const entry: unknown = (item as Record<string, unknown>)[names[index] as string];
    const found = typeof entry === 'object' && entry !== null ? unshapelyAt(entry, depth + 1, most) : null;
    if (found) return found;
  }
  return null;
}

/** The refusal for the first variable of `operation` holding a value no input type can take (unshapely), or null. */
export function wideVariableRefusal(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): GraphQLError | null {
  const most = widestInputObject(schema);
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (!Object.hasOwn(variables, name)) continue;
    const found = unshapely(variables[name], most);
    if (found === null) continue;
    const message =
      'names' in found
        ? `Variable "$${name}" holds an object of ${found.names} names, more than any input type has fields (${most} at most): send only the fields its type names.`
        : `Variable "$${name}" nests objects and lists more than ${MAX_NESTING} deep, deeper than any input type: send a flatter value.`;
    return new GraphQLError(message, { nodes: definition, extensions: { code: 'BAD_USER_INPUT' } });
  }
  return null;
}

/** The check for paths outside Apollo (the WebSocket): the operation picked by name, as graphql-js picks it. */
export function wideVariablesCheck(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Readonly<Record<string, unknown>>): GraphQLError | null {
  const operation = getOperationAST(document, operationName ?? undefined);
  return operation ? wideVariableRefusal(schema, operation, variables) : null;
}

/** The check on Apollo's side (operationChecksPlugin), at didResolveOperation: every request (GET, POST, a persisted query by its hash), before anything executes. */
export function wideVariablesCheckForApollo<T extends object>(): OperationCheck<T> {
  return ({ operation, request, schema }) => {
    if (!operation || !request.variables) return null;
    const refusal = wideVariableRefusal(schema, operation, request.variables);
    // 400, as a variable of the wrong type is; Apollo takes `http` off before the answer.
    return refusal && new GraphQLError(refusal.message, { nodes: refusal.nodes, extensions: { ...refusal.extensions, http: { status: 400 } } });
  };
}

/** The check alone as a plugin (its tests); the gateway runs it among the others of `operationChecksPlugin`. */
export const wideVariablesPlugin = <T extends object>(): ApolloServerPlugin<T> => operationChecksPlugin([wideVariablesCheckForApollo<T>()]);
