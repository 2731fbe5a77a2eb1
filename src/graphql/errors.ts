import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { ERROR_CODES, isGatewayError, type ErrorCode } from '../domain/errors.js';
import { CSRF_REFUSAL_MESSAGE, isCsrfRefusal } from './csrf-refusal.js';
import { isLimitRefusal, limitRefusalMessage } from './limits/index.js';
import { connectionTroubleBehind } from '../observability/store-failure-lines.js';
import { withUnclosedBracketHint } from './unclosed-bracket-hint.js';
import { LOGGED_MESSAGE_CHARACTERS, LOGGED_PATH_KEY_CHARACTERS, SCRUBBED_CHARACTERS_PER_REQUEST, scrubClipped } from './scrubbed-log-text.js';

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

/** A name graphql-js suggests, quoted as its didYouMean() quotes it. */
const SUGGESTED = String.raw`"[_A-Za-z][_0-9A-Za-z]*"`;
/**
 * graphql-js's hints ("Did you mean "instances"?", "... the enum value "ZOMRO"?", "... to use an
 * inline fragment on "A", "B", or "C"?"): a map of the schema. Spelled as didYouMean() writes them,
 * and searched in one pass: the messages quote what the client sent (a 1 MB variable), and the
 * looser `\s*Did you mean [^?]*\?` went back over the rest of the message from every space (and
 * every "Did you mean" without a "?"): 80,000 spaces in a variable held the event loop 15 s.
 * A space is taken only at the start of a run (the lookbehind), so a run is crossed once.
 */
const SUGGESTION = new RegExp(String.raw`(?<!\s)\s*Did you mean (?:[a-z]+(?: [a-z]+){0,7} )?${SUGGESTED}(?:(?:, ${SUGGESTED})*,? or ${SUGGESTED})?\?`, 'g');

export interface ErrorPolicy {
  /** With introspection off, no message may name what the client did not write (but to a caller who may see the schema). */
  introspection: boolean;
  /** Whether the caller the error goes to may see the schema with introspection off (schemaShownHere); never, unless told. */
  schemaShown?: () => boolean;
  /**
   * Told each error sent stripped whose reading for a caller who may see the schema differs
   * (keepShown): over HTTP whom the error goes to is known only after Apollo formatted it.
   */
  keepShown?: (sent: GraphQLFormattedError, shown: GraphQLFormattedError) => void;
  /** With introspection on, what a message gains of the schema (an enum's values: enum-values-hint.ts). */
  hint?: (message: string) => string;
}

export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * The last stop of every error, HTTP and WebSocket alike: the code is always
 * one of the schema's list, extensions carry only what the gateway chose
 * (code, provider, providerCode, capability), and anything unexpected is
 * answered with a bare message, so stacks, upstream URLs and bodies never
 * leave the process. Pure: logging is `logRequestErrors`' job, which knows
 * the request id.
 */
export function createErrorFormatter(policy: ErrorPolicy): ErrorFormatter {
  const hint = policy.hint ?? ((message: string) => message);
  const shown = (message: string) => clipMessage(hint(message));
  const stripped = (message: string) => clipMessage(message.replace(SUGGESTION, ''));
  const schemaShown = policy.schemaShown ?? (() => false);
  const keepShown = policy.keepShown;
  return (formatted, error) => {
    // An admin may read the schema (`__schema`) with introspection off: its hints tell it nothing more.
    if (policy.introspection || schemaShown()) return formattedWith(shown, formatted, error);
    const sent = formattedWith(stripped, formatted, error);
    if (keepShown !== undefined) {
      const kept = formattedWith(shown, formatted, error);
      if (kept.message !== sent.message) keepShown(sent, kept);
    }
    return sent;
  };
}

/** `createErrorFormatter`'s answer for one error, its messages made by `clean`. */
function formattedWith(clean: (message: string) => string, formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = findCause(unwrapResolverError(error));
  const base = { message: clean(withUnclosedBracketHint(formatted.message, error)), ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (isGatewayError(original)) {
    const { provider, providerCode, capability, retryAfterSeconds, fields } = original.details;
    return {
      ...base,
      message: original.message,
      extensions: {
        code: original.code,
        ...(provider ? { provider } : {}),
        ...(providerCode ? { providerCode } : {}),
        ...(capability ? { capability } : {}),
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        ...(fields?.length ? { fields } : {}),
      },
    };
  }
  if (isLimitRefusal(formatted.message)) return { ...base, message: limitRefusalMessage(formatted.message), extensions: { code: 'QUERY_TOO_COMPLEX' } };
  if (isCsrfRefusal(formatted.message)) return { ...base, message: CSRF_REFUSAL_MESSAGE, extensions: { code: 'BAD_USER_INPUT' } };
  const code = String(formatted.extensions?.code ?? '');
  if (KNOWN.has(code) && code !== 'INTERNAL_SERVER_ERROR') return { ...base, extensions: { code } };
  const mapped = APOLLO_CODES[code];
  if (mapped) return { ...base, extensions: { code: mapped } };
  if (original instanceof GraphQLError && !original.originalError && formatted.path === undefined && (code === '' || (code === 'INTERNAL_SERVER_ERROR' && original.extensions?.code === undefined))) {
    // graphql-js's own errors (e.g. variable coercion) are about the request. One with a path
    // was raised while executing it ("Cannot return null for non-nullable field", which
    // graphql-jit raises with no cause): a field the gateway failed to fill, its own fault.
    // Apollo fills INTERNAL_SERVER_ERROR in for a request error of its own that has no code
    // ("provided sha does not match query", "Unsupported persisted query version"): such a client
    // mistake was answered and counted as a fault. graphql-jit leaves `extensions` out altogether.
    return { ...base, extensions: { code: 'BAD_USER_INPUT' } };
  }
  return { ...base, message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * The longest message of graphql-js or Apollo a client is answered (and the log is written). They
 * quote what the client sent: `Variable "$id" got invalid value { a: "..." }` quoted a 1 MB string
 * whole, into the answer and an info log line per request.
 */
export const MAX_MESSAGE_CHARACTERS = 1_000;

function clipMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARACTERS) return message;
  // Never half a surrogate pair at the cut.
  const cut = /[\ud800-\udbff]/.test(message.charAt(MAX_MESSAGE_CHARACTERS - 4)) ? MAX_MESSAGE_CHARACTERS - 4 : MAX_MESSAGE_CHARACTERS - 3;
  return `${message.slice(0, cut)}...`;
}

/** Formats a GraphQLError the way Apollo would hand it to formatError. */
export const formatGraphQLError = (format: ErrorFormatter, error: GraphQLError): GraphQLFormattedError => format(error.toJSON(), error);

/**
 * The client's own mistakes and provider refusals logged one by one per
 * request; the rest are counted in one line. One request may hold 1,000 of
 * them (an `_entities` item each): a viewer's 40 KB of made-up ids wrote
 * 1,000 log lines, 220 KB, per request.
 */
export const MAX_ERROR_LINES_PER_REQUEST = 20;

/** A path's aliases are the client's names. */
const scrubbedPath = (path: ReadonlyArray<string | number> | undefined, scrub: (text: string) => string): Array<string | number> | undefined =>
  path?.map((key) => (typeof key === 'string' ? scrubClipped(key, LOGGED_PATH_KEY_CHARACTERS, scrub) : key));

/** The characters of client text a line scrubs: its message and path keys, as clipped. */
const scrubbedLength = (message: string, path: ReadonlyArray<string | number> | undefined): number =>
  Math.min(message.length, LOGGED_MESSAGE_CHARACTERS) + (path ?? []).reduce<number>((sum, key) => sum + (typeof key === 'string' ? Math.min(key.length, LOGGED_PATH_KEY_CHARACTERS) : 0), 0);

/**
 * One log line per error of a request, with its request id: gateway faults at
 * error level with the full cause (it stays in the log), the client's own
 * mistakes and provider refusals at info, as they need no operator. Of each
 * kind the first MAX_ERROR_LINES_PER_REQUEST, then one line counting the
 * others: one fault behind 30 aliases wrote 30 error lines, each with its
 * stack, and the first ones say what it was. Counted apart, so a request's
 * own mistakes never crowd its faults out of the log.
 */
export function logRequestErrors(logger: Logger, format: ErrorFormatter, requestId: string, errors: readonly GraphQLError[], scrub: (text: string) => string = (text) => text): void {
  let logged = 0;
  let scrubbedCharacters = 0;
  const notLogged: Record<string, number> = {};
  let faultsLogged = 0;
  let faultsNotLogged = 0;
  for (const error of errors) {
    const formatted = formatGraphQLError(format, error);
    const code = String(formatted.extensions?.code);
    if (code === 'INTERNAL_SERVER_ERROR') {
      if (faultsLogged < MAX_ERROR_LINES_PER_REQUEST) {
        faultsLogged++;
        logger.error({ requestId, err: findCause(unwrapResolverError(error)), path: scrubbedPath(formatted.path, scrub) }, 'unexpected error while serving a request');
      } else {
        faultsNotLogged++;
      }
    } else if (logged < MAX_ERROR_LINES_PER_REQUEST && scrubbedCharacters < SCRUBBED_CHARACTERS_PER_REQUEST) {
      logged++;
      scrubbedCharacters += scrubbedLength(formatted.message, formatted.path);
      // Scrubbed: a client's mistake is told in graphql-js's words, which quote what it sent (and a path its aliases).
      // Clipped first, and only so much a request: the scrub runs once per account, per character.
      const line = { requestId, code, message: scrubClipped(formatted.message, LOGGED_MESSAGE_CHARACTERS, scrub), ...(formatted.path ? { path: scrubbedPath(formatted.path, scrub) } : {}) };
      // The gateway's own store failed the request: an operator's matter, with its cause (the
      // client is told only to send it again). No stack: a stalled Redis refuses every such request.
      if (code === 'STORE_UNAVAILABLE') logger.warn({ ...line, cause: causeText(findCause(unwrapResolverError(error))) }, 'request answered with an error');
      else logger.info(line, 'request answered with an error');
    } else {
      notLogged[code] = (notLogged[code] ?? 0) + 1;
    }
  }
  const more = Object.values(notLogged).reduce((sum, count) => sum + count, 0);
  if (more > 0) logger.info({ requestId, more, codes: notLogged }, 'request answered with more errors, not logged one by one');
  if (faultsNotLogged > 0) logger.error({ requestId, more: faultsNotLogged }, 'more unexpected errors while serving the request, not logged one by one');
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

/**
 * The store's own error behind a STORE_UNAVAILABLE, as one line for the log: its code and message,
 * no stack; with Redis's connection down, the trouble behind it as the store's lines name it
 * (`ECONNREFUSED at 10.0.0.5:6379: nothing listens there ...`): ioredis's own text there, "Reached
 * the max retries per request limit", said nothing an operator could act on.
 */
function causeText(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  if (!(cause instanceof Error)) return undefined;
  const trouble = connectionTroubleBehind(cause);
  if (trouble !== undefined) return trouble.detail;
  const code = (cause as { code?: unknown }).code;
  return `${typeof code === 'string' ? `${code}: ` : ''}${cause.message}`.slice(0, 500);
}
