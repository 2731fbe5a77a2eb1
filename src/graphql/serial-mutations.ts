import { execute, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';

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
 */
export function serialMutations(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): OperationRun {
  return {
    query: (rootValue, contextValue, variableValues) => execute({ schema, document, rootValue, contextValue, variableValues, operationName }),
  };
}
