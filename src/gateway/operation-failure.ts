import type { ErrorCode } from '../domain/errors.js';
import type { Operation } from '../domain/types.js';

/** What a FAILED operation without the provider's words says (a `failure` always has a message). */
export const NO_PROVIDER_WORDS = 'the provider reported the work failed without saying why';

export interface OperationFailure {
  code: ErrorCode;
  message: string;
}

/**
 * A failed operation's code and message (Operation.failure), the shape providerErrors and
 * createBackups' results give, so a client branches on a code as it does there. The message is
 * `error` itself: the provider's text as the adapter read it from a scrubbed answer, so no
 * credential the provider quoted reaches it. Null unless FAILED.
 */
export function failureOf(operation: Operation): OperationFailure | null {
  if (operation.status !== 'FAILED') return null;
  return { code: operation.errorCode ?? 'PROVIDER_ERROR', message: operation.error || NO_PROVIDER_WORDS };
}
