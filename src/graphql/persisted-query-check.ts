import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';

/** The refusal of a `sha256Hash` that is no string, over HTTP (persisted-query-guard.ts) and WebSocket alike. */
export function hashNotStringMessage(hash: unknown): string {
  return `extensions.persistedQuery.sha256Hash must be a string, the query's SHA-256 in hex, not ${kindOf(hash)}`;
}

/** Apollo Server's own words for these refusals over HTTP, so a client reads the same refusal on either path. */
export const UNSUPPORTED_VERSION_MESSAGE = 'Unsupported persisted query version';
export const HASH_MISMATCH_MESSAGE = 'provided sha does not match query';
/** Apollo's answer to a hash alone whose text it does not hold, which tells an APQ client to send the text. */
export const PERSISTED_QUERY_NOT_FOUND_MESSAGE = 'PersistedQueryNotFound';
/** Apollo Server's words for an operation with neither a text nor a hash (requestPipeline.ts). */
export const EMPTY_QUERY_MESSAGE = 'GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.';

/**
 * A hash sent alone, outside Apollo (graphql-ws): refused as HTTP refuses it (a version other than
 * 1 as Apollo does, a hash that is no string as persisted-query-guard.ts does), else its hash to look up.
 */
export function hashAloneLookup(extensions: unknown): { hash: string } | { refusal: GraphQLError } {
  const persisted: unknown = typeof extensions === 'object' && extensions !== null ? (extensions as { persistedQuery?: unknown }).persistedQuery : undefined;
  const version = typeof persisted === 'object' && persisted !== null ? (persisted as { version?: unknown }).version : undefined;
  if (version !== 1) return { refusal: refusal(UNSUPPORTED_VERSION_MESSAGE) };
  const hash = (persisted as { sha256Hash?: unknown }).sha256Hash;
  if (typeof hash !== 'string') return { refusal: refusal(hashNotStringMessage(hash)) };
  return { hash };
}

/** The answer to a hash alone whose text this client has not registered, in Apollo's words and code (the formatter words the code as HTTP's is). */
export const persistedQueryNotFound = (): GraphQLError => new GraphQLError(PERSISTED_QUERY_NOT_FOUND_MESSAGE, { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });

/** The hash of an operation sent with its text that persistedQueryRefusal let through, to register; undefined when it names none. */
export function registeredHash(extensions: unknown): string | undefined {
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const persisted: unknown = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (typeof persisted !== 'object' || persisted === null) return undefined;
  const hash = (persisted as { sha256Hash?: unknown }).sha256Hash;
  return typeof hash === 'string' ? hash : undefined;
}

/**
 * The persisted-query checks HTTP makes (Apollo Server's, and persisted-query-guard.ts's) for an
 * operation sent with its text, for the entry points Apollo does not serve (graphql-ws): a
 * `persistedQuery` of another version, a hash that is no string, or a hash that is not the text's
 * SHA-256 is refused `BAD_USER_INPUT`, never run. Left unchecked, a client whose hashes were wrong
 * learned it only when it went over HTTP, and registering by WebSocket looked like it worked.
 */
export function persistedQueryRefusal(query: string, extensions: unknown): GraphQLError | undefined {
  const persisted: unknown = typeof extensions === 'object' && extensions !== null ? (extensions as { persistedQuery?: unknown }).persistedQuery : undefined;
  // Apollo reads `persistedQuery` only when it is truthy: `null`, `false`, `0`, `""` are no request for one.
  // With none, an empty text is Apollo's 400 in its words (graphql-ws's parse said "Syntax Error: Unexpected <EOF>.").
  if (!persisted) return query === '' ? refusal(EMPTY_QUERY_MESSAGE) : undefined;
  const version = typeof persisted === 'object' ? (persisted as { version?: unknown }).version : undefined;
  if (version !== 1) return refusal(UNSUPPORTED_VERSION_MESSAGE);
  const hash = (persisted as { sha256Hash?: unknown }).sha256Hash;
  if (typeof hash !== 'string') return refusal(hashNotStringMessage(hash));
  if (hash !== createHash('sha256').update(query).digest('hex')) return refusal(HASH_MISMATCH_MESSAGE);
  return undefined;
}

const refusal = (message: string): GraphQLError => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** What a value is, in the words of the refusal. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'left out';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
