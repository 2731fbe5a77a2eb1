import { GraphQLError, getVariableValues, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

/** graphql-js's own bound on a request's variable errors (`execute`'s). */
const MAX_VARIABLE_ERRORS = 50;

/**
 * The errors of a subscription's variables graphql-js cannot take (`{"id": {"a": 1}}`, `true` or
 * a list where an `ID!` goes), BAD_USER_INPUT in graphql-js's words; null when it takes them.
 * A query's or mutation's are read so by the executor (variable-errors.ts), but a subscription
 * runs in graphql-js's `subscribe`, whose error for a value a scalar refuses carries the scalar's
 * TypeError as its cause: any client's `operationUpdated(id: $id)` with such a value was answered
 * INTERNAL_SERVER_ERROR "internal error", counted as one and logged at error level with a stack.
 */
export function subscriptionVariableErrors(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>> | null): GraphQLError[] | null {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: MAX_VARIABLE_ERRORS });
  if (!coerced.errors || coerced.errors.length === 0) return null;
  return coerced.errors.map((error) => new GraphQLError(error.message, { ...(error.nodes ? { nodes: error.nodes } : {}), extensions: { code: 'BAD_USER_INPUT' } }));
}
