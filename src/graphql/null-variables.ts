import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  ValidationContext,
  getOperationAST,
  isNonNullType,
  print,
  type DocumentNode,
  type GraphQLSchema,
  type GraphQLInputType,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
  type VariableNode,
} from 'graphql';
import { operationChecksPlugin, type OperationCheck } from './operation-checks.js';

/** How much of a variable's default a refusal quotes: it may be as long as the body. */
const QUOTED_DEFAULT_CHARACTERS = 100;

/**
 * A variable sent as `null` that the operation uses where a value is required (a non-null
 * argument, input field, list item or `@skip`/`@include`'s `if`), BAD_USER_INPUT before anything
 * runs; null when there is none. Validation lets a nullable variable stand there when it has a
 * default (`query($id: ID = "x") { node(id: $id) { id } }`), and the spec makes an explicit null
 * a field error at run time, but graphql-js's error for it carries no code: `{"id": null}`
 * answered INTERNAL_SERVER_ERROR "internal error" and wrote an error line with a stack per
 * field, over HTTP and WebSocket alike, and graphql-jit read a null `if` as false and left the
 * field out without a word. Only variables sent as null and declared nullable are looked up.
 */
export function nullForRequiredRefusal(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): GraphQLError | null {
  // Most requests send no null at all: answered without a walk or an allocation.
  if (!sendsNullForNullable(operation, variables)) return null;
  for (const { name, definition, node, type } of requiredUsagesOf(schema, document, operation)) {
    if (!Object.hasOwn(variables, name) || variables[name] !== null) continue;
    const instead = definition.defaultValue ? `send a value, or leave $${name} out for its default (${print(definition.defaultValue).slice(0, QUOTED_DEFAULT_CHARACTERS)})` : 'send a value';
    return new GraphQLError(`Variable "$${name}" is null where a value of type "${String(type)}" is required: ${instead}.`, {
      nodes: [definition, node],
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return null;
}

/** Whether any variable declared nullable is sent as null. */
function sendsNullForNullable(operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): boolean {
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (!isNonNullTypeNode(definition) && Object.hasOwn(variables, name) && variables[name] === null) return true;
  }
  return false;
}

/** A nullable variable used where a value is required, in the order graphql-js finds the usages. */
interface RequiredUsage {
  readonly name: string;
  readonly definition: VariableDefinitionNode;
  readonly node: VariableNode;
  readonly type: GraphQLInputType;
}

/**
 * Each operation's usages, found once: the walk with types (the operation and every fragment it
 * spreads) depends on the document alone, and a client sending null sends it again with the same
 * document. Keyed by the operation's node, so an entry lives as long as the parsed document does
 * (Apollo's bounded document cache, or one WebSocket request).
 */
const requiredUsages = new WeakMap<OperationDefinitionNode, { readonly schema: GraphQLSchema; readonly usages: readonly RequiredUsage[] }>();

/** Exported for its test: how many operations' usages were walked for, so a second use is seen to skip the walk. */
export const requiredUsageWalks = { count: 0 };

function requiredUsagesOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): readonly RequiredUsage[] {
  const known = requiredUsages.get(operation);
  if (known && known.schema === schema) return known.usages;
  requiredUsageWalks.count += 1;
  const nullable = new Map<string, VariableDefinitionNode>();
  for (const definition of operation.variableDefinitions ?? []) if (!isNonNullTypeNode(definition)) nullable.set(definition.variable.name.value, definition);
  const usages: RequiredUsage[] = [];
  const context = new ValidationContext(schema, document, new TypeInfo(schema), () => {});
  for (const usage of context.getRecursiveVariableUsages(operation)) {
    const definition = nullable.get(usage.node.name.value);
    if (!definition || !usage.type || !isNonNullType(usage.type)) continue;
    usages.push({ name: usage.node.name.value, definition, node: usage.node, type: usage.type });
  }
  requiredUsages.set(operation, { schema, usages });
  return usages;
}

const isNonNullTypeNode = (definition: VariableDefinitionNode): boolean => definition.type.kind === Kind.NON_NULL_TYPE;

/** The check for paths outside Apollo (the WebSocket): the operation picked by name, as graphql-js picks it. */
export function nullVariablesCheck(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Readonly<Record<string, unknown>>): GraphQLError | null {
  const operation = getOperationAST(document, operationName ?? undefined);
  return operation ? nullForRequiredRefusal(schema, document, operation, variables) : null;
}

/** The check on Apollo's side (operationChecksPlugin), at didResolveOperation: every request (GET, POST, a persisted query by its hash), before anything executes. */
export function nullVariablesCheckForApollo<T extends object>(): OperationCheck<T> {
  return ({ document, operation, request, schema }) => {
    if (!operation || !request.variables) return null;
    const refusal = nullForRequiredRefusal(schema, document, operation, request.variables);
    // 400, as a variable of the wrong type is; Apollo takes `http` off before the answer.
    return refusal && new GraphQLError(refusal.message, { nodes: refusal.nodes, extensions: { ...refusal.extensions, http: { status: 400 } } });
  };
}

/** The check alone as a plugin (its tests); the gateway runs it among the others of `operationChecksPlugin`. */
export const nullVariablesPlugin = <T extends object>(): ApolloServerPlugin<T> => operationChecksPlugin([nullVariablesCheckForApollo<T>()]);

