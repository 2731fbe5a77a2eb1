import { getOperationAST, getVariableValues, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';

/** graphql-js's own bound on a request's variable errors (`execute`'s). */
const MAX_VARIABLE_ERRORS = 50;

/**
 * The errors of variables the operation could not take, in graphql-js's words. graphql-jit's say
 * less and sometimes wrong: `"x" at "l[1]"` lost its place in the list, an input object's list
 * item named `$b` where the variable is `$f`, an unknown field without graphql-js's "Did you
 * mean". Read only once graphql-jit refused the variables (never on an answered request); should
 * graphql-js take them after all, graphql-jit's errors stand.
 */
export function variableErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  refused: readonly GraphQLError[],
): readonly GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return refused;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: MAX_VARIABLE_ERRORS });
  return coerced.errors && coerced.errors.length > 0 ? coerced.errors : refused;
}
