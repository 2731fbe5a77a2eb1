import { errorsBehind } from './errors-behind.js';

/**
 * undici's refusals of an answer it could not read as HTTP: a malformed status line or header,
 * more headers than it reads, a body unlike its Content-Length. The provider (or whatever listens
 * at the account's url) did answer: "unreachable: a refused connection or a host name that does
 * not resolve" sent the operator to check DNS and firewalls for a host that was answering.
 */
const UNREADABLE_CODES = new Set(['UND_ERR_HEADERS_OVERFLOW', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH']);

/** Whether the transport error (or one it was caused by) is undici refusing an answer it received. */
export function isUnreadableHttpAnswer(error: unknown): boolean {
  for (const current of errorsBehind(error)) {
    const { name, code } = current as { name?: unknown; code?: unknown };
    if (name === 'HTTPParserError' || name === 'HeadersOverflowError') return true;
    if (typeof code === 'string' && (UNREADABLE_CODES.has(code) || code.startsWith('HPE_'))) return true;
  }
  return false;
}

/** The words after "provider X ": what happened, and where to look. */
export const UNREADABLE_ANSWER_NEXT_STEP =
  "answered with HTTP the gateway cannot read (a malformed status line or header, more headers than it reads, or a body unlike its Content-Length): check that the account's url points at the provider's API and not another service or proxy";
