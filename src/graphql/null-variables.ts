import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
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
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';

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
  const sentNull = new Map(
    (operation.variableDefinitions ?? [])
      .filter((definition) => !isNonNullTypeNode(definition) && Object.hasOwn(variables, definition.variable.name.value) && variables[definition.variable.name.value] === null)
      .map((definition) => [definition.variable.name.value, definition] as const),
  );
  if (sentNull.size === 0) return null;
  const context = new ValidationContext(schema, document, new TypeInfo(schema), () => {});
  for (const usage of context.getRecursiveVariableUsages(operation)) {
    const definition = sentNull.get(usage.node.name.value);
    if (!definition || !usage.type || !isNonNullType(usage.type)) continue;
    const name = usage.node.name.value;
    const instead = definition.defaultValue ? `send a value, or leave $${name} out for its default (${print(definition.defaultValue).slice(0, QUOTED_DEFAULT_CHARACTERS)})` : 'send a value';
    return new GraphQLError(`Variable "$${name}" is null where a value of type "${String(usage.type)}" is required: ${instead}.`, {
      nodes: [definition, usage.node],
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return null;
}

const isNonNullTypeNode = (definition: VariableDefinitionNode): boolean => definition.type.kind === Kind.NON_NULL_TYPE;

/** The check for paths outside Apollo (the WebSocket): the operation picked by name, as graphql-js picks it. */
export function nullVariablesCheck(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Readonly<Record<string, unknown>>): GraphQLError | null {
  const operation = getOperationAST(document, operationName ?? undefined);
  return operation ? nullForRequiredRefusal(schema, document, operation, variables) : null;
}

/** The check on Apollo's side, at didResolveOperation: every request (GET, POST, a persisted query by its hash), before anything executes. */
export function nullVariablesPlugin<T extends object>(): ApolloServerPlugin<T> {
  const listener: GraphQLRequestListener<T> = {
    didResolveOperation: async ({ document, operation, request, schema }) => {
      if (!operation || !request.variables) return;
      const refusal = nullForRequiredRefusal(schema, document, operation, request.variables);
      // 400, as a variable of the wrong type is; Apollo takes `http` off before the answer.
      if (refusal) throw new GraphQLError(refusal.message, { nodes: refusal.nodes, extensions: { ...refusal.extensions, http: { status: 400 } } });
    },
  };
  return { requestDidStart: async () => listener };
}
