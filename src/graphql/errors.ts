import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { ERROR_CODES, isGatewayError, type ErrorCode } from '../domain/errors.js';
import { isLimitRefusal } from './limits/index.js';

/** Apollo's own codes for requests that never ran, as our codes. */
const APOLLO_CODES: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: 'BAD_USER_INPUT',
  GRAPHQL_VALIDATION_FAILED: 'BAD_USER_INPUT',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_USER_INPUT',
};

const KNOWN = new Set<string>(ERROR_CODES);

/**
 * The last stop of every error: the code is always one of the schema's list,
 * extensions carry only what the gateway chose (code, provider, providerCode,
 * capability), and anything unexpected is logged in full but answered with a
 * bare message, so stacks, upstream URLs and bodies never leave the process.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = findCause(unwrapResolverError(error));
    const base = { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
    if (isGatewayError(original)) {
      const { provider, providerCode, capability, retryAfterSeconds } = original.details;
      return {
        ...base,
        message: original.message,
        extensions: {
          code: original.code,
          ...(provider ? { provider } : {}),
          ...(providerCode ? { providerCode } : {}),
          ...(capability ? { capability } : {}),
          ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        },
      };
    }
    if (isLimitRefusal(formatted.message)) return { ...base, extensions: { code: 'QUERY_TOO_COMPLEX' } };
    const code = String(formatted.extensions?.code ?? '');
    if (KNOWN.has(code) && code !== 'INTERNAL_SERVER_ERROR') return { ...base, extensions: { code } };
    const mapped = APOLLO_CODES[code];
    if (mapped) return { ...base, extensions: { code: mapped } };
    if (original instanceof GraphQLError && !original.originalError && code === '') {
      // graphql-js's own errors (e.g. variable coercion) are about the request.
      return { ...base, extensions: { code: 'BAD_USER_INPUT' } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error while serving a request');
    return { ...base, message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/**
 * The GatewayError behind an error, looking through `originalError` links:
 * robust to wrappers and to two copies of graphql-js (where instanceof fails).
 */
function findCause(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    if (isGatewayError(current)) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return error;
}
