import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { hasRole, type Principal } from '../gateway/principal.js';
import type { GraphQLContext } from './context.js';

/**
 * Whom errors go to: a caller who may be shown the schema with introspection off (the admin
 * role, which gets `__schema` then) keeps graphql-js's "Did you mean" hints, a map of it; any
 * other caller's are stripped. Not in AsyncLocalStorage: on Node 20 its first `run` turns on
 * async_hooks' promise hooks for the whole process, and every promise of every upstream call
 * paid them (see docs/benchmark-history.md, "perf21"). So each transport tells it as it knows it:
 * - WebSocket formats an error in one synchronous call (`formattingFor` around it);
 * - HTTP: Apollo's formatError is handed no request, so it sends every error stripped and keeps
 *   the admin's reading beside it (`keepShown`), swapped in at willSendResponse, where the
 *   caller is known (`schemaAudiencePlugin`). An error formatted anywhere else stays stripped.
 */
let shownHere = false;

/** `run`, with errors formatted within it (synchronously) for `principal`. */
export function formattingFor<T>(principal: Principal | undefined, run: () => T): T {
  const before = shownHere;
  shownHere = mayBeShownTheSchema(principal);
  try {
    return run();
  } finally {
    shownHere = before;
  }
}

/** Whether errors formatted here go to a caller who may see the schema; false outside `formattingFor`. */
export const schemaShownHere = (): boolean => shownHere;

const mayBeShownTheSchema = (principal: Principal | undefined): boolean => principal !== undefined && hasRole(principal, 'admin');

/** Each error sent stripped, and its reading for a caller who may see the schema. */
const shownReadings = new WeakMap<GraphQLFormattedError, GraphQLFormattedError>();

/** createErrorFormatter's `keepShown`: `shown` is what `sent` reads for a caller who may see the schema. */
export const keepShown = (sent: GraphQLFormattedError, shown: GraphQLFormattedError): void => {
  shownReadings.set(sent, shown);
};

/** `errors` as `principal` reads them: with their hints for a caller who may see the schema, else as they are. */
export function errorsFor(principal: Principal | undefined, errors: readonly GraphQLFormattedError[]): readonly GraphQLFormattedError[] {
  if (!mayBeShownTheSchema(principal)) return errors;
  return errors.map((error) => shownReadings.get(error) ?? error);
}

/** An HTTP answer's errors as its caller reads them (errorsFor). Listed before any plugin that reads their messages. */
export function schemaAudiencePlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    requestDidStart: async () => ({
      willSendResponse: async ({ contextValue, response }) => {
        if (response.body.kind !== 'single' || response.body.singleResult.errors === undefined) return;
        response.body.singleResult.errors = errorsFor(contextValue.reads.principal, response.body.singleResult.errors);
      },
    }),
  };
}
