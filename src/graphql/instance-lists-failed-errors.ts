import { GraphQLError, type ExecutionResult } from 'graphql';
import { ERROR_CODES, GatewayError, type ErrorCode } from '../domain/errors.js';
import type { GraphQLContext } from './context.js';

const isErrorCode = (code: string): code is ErrorCode => (ERROR_CODES as readonly string[]).includes(code);

/** The execution's answer with an error per VM list a root field answered without (none: as it was). */
export function withInstanceListsFailed(result: ExecutionResult, context: unknown): ExecutionResult {
  // A context of another shape (none, in a test's executor) has no such lists.
  const failed = (context as Partial<GraphQLContext> | null | undefined)?.reads?.instanceListsFailed;
  if (failed?.any !== true || !('data' in result) || result.data == null) return result;
  const errors = failed.entries().map(({ path, failure }) => {
    const { retryAfterSeconds, providerCode } = failure;
    const original = new GatewayError(isErrorCode(failure.code) ? failure.code : 'PROVIDER_ERROR', failure.message, {
      provider: failure.provider.account.id,
      ...(providerCode === undefined ? {} : { providerCode }),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
    return new GraphQLError(original.message, { path, originalError: original });
  });
  return { ...result, errors: [...(result.errors ?? []), ...errors] };
}
