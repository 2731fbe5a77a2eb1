import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';

/** Identical request errors one answer shows before it counts the rest instead. */
export const MAX_SAME_ERRORS = 3;

/**
 * An answer's errors with each repeated request error shown at most `MAX_SAME_ERRORS`
 * times, the rest counted in one error after them (same code, `extensions.repeated`).
 * graphql-js reports a rule's finding once per occurrence, up to its 100: a document
 * repeating `@skip` 120 times (2 KB) was answered 100 times "The directive "@skip" can only
 * be used once at this location." (18 KB). Errors with a `path` (execution's: one per list
 * item that failed) each name what failed and are all kept.
 */
export function collapseRepeatedErrors(errors: readonly GraphQLFormattedError[]): GraphQLFormattedError[] {
  const seen = new Map<string, { shown: number; leftOut: number; summaryAt: number | null }>();
  const kept: GraphQLFormattedError[] = [];
  for (const error of errors) {
    if (error.path !== undefined) {
      kept.push(error);
      continue;
    }
    const code = error.extensions?.code;
    const key = `${String(code)}\u0000${error.message}`;
    const count = seen.get(key) ?? { shown: 0, leftOut: 0, summaryAt: null };
    seen.set(key, count);
    if (count.shown < MAX_SAME_ERRORS) {
      count.shown += 1;
      kept.push(error);
      continue;
    }
    count.leftOut += 1;
    const summary: GraphQLFormattedError = {
      message: `${error.message} (${count.leftOut} more like it left out)`,
      extensions: { ...(code === undefined ? {} : { code }), repeated: count.leftOut },
    };
    if (count.summaryAt === null) count.summaryAt = kept.push(summary) - 1;
    else kept[count.summaryAt] = summary;
  }
  return kept;
}

/** `collapseRepeatedErrors` on every answer Apollo sends over HTTP. */
export function repeatedErrorsPlugin<Context extends BaseContext>(): ApolloServerPlugin<Context> {
  return {
    requestDidStart: async () => ({
      willSendResponse: async ({ response }) => {
        if (response.body.kind !== 'single' || response.body.singleResult.errors === undefined) return;
        response.body.singleResult.errors = collapseRepeatedErrors(response.body.singleResult.errors);
      },
    }),
  };
}
