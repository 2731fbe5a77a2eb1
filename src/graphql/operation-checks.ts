import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation, GraphQLRequestListener } from '@apollo/server';
import type { GraphQLError } from 'graphql';

/** One refusal at didResolveOperation, answered with its own status (`extensions.http`); null lets the request run. */
export type OperationCheck<T extends object> = (context: GraphQLRequestContextDidResolveOperation<T>) => GraphQLError | null;

/** A settled promise to hand Apollo when nothing is refused, rather than a new one per request. */
const NOTHING_REFUSED: Promise<void> = Promise.resolve();

/**
 * Checks that refuse at didResolveOperation, as one Apollo listener: the first in `checks` to
 * refuse is answered, as the first of several plugins listed was. One listener, not one a check:
 * Apollo awaits every listener of a request on each of its hooks (`requestDidStart`, an async
 * function per plugin; `responseForOperation`, one listener after another), so each plugin cost
 * a warm request promises and turns of the microtask queue whether it refused anything or not.
 * The listener and the promise of it are made once, not per request: they keep nothing of one.
 */
export function operationChecksPlugin<T extends object>(checks: ReadonlyArray<OperationCheck<T>>): ApolloServerPlugin<T> {
  const listener: GraphQLRequestListener<T> = {
    didResolveOperation: (context) => {
      for (const check of checks) {
        const refusal = check(context);
        if (refusal) return Promise.reject(refusal);
      }
      return NOTHING_REFUSED;
    },
  };
  const started = Promise.resolve(listener);
  return { requestDidStart: () => started };
}
