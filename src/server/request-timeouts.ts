import type { ServerOptions } from 'node:http';

/**
 * How long a client may take to send a request's headers, and the whole
 * request with its body (at most `limits.bodyLimitBytes`, 1 MiB). Node's own
 * 60 s and 300 s, checked every 30 s, let a client sending a byte of its body
 * every few seconds hold a connection for five minutes, and nothing bounds how
 * many it opens (slowloris): each holds a socket and a file descriptor the
 * providers' connections need too. A GraphQL request is a few KB; 30 s is a
 * 1 MiB body at 35 KB/s. An answer may take as long as it takes: these stop
 * once the request is read.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/** How often node looks for requests past these timeouts (its default is 30 s, as long as the limit itself). */
const CHECK_INTERVAL_MS = 1_000;

/** Options for `createServer`; `requestTimeoutMs` shorter for tests (headers get at most as long). */
export function requestTimeouts(requestTimeoutMs = REQUEST_TIMEOUT_MS): ServerOptions {
  const checkEvery = Math.min(CHECK_INTERVAL_MS, Math.max(10, Math.floor(requestTimeoutMs / 4)));
  return { headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs), requestTimeout: requestTimeoutMs, connectionsCheckingInterval: checkEvery };
}
