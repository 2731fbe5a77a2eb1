import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether a request came from a browser page of another origin than the
 * gateway's. Browsers send `Origin` on every WebSocket upgrade and never let
 * a page set it; other clients send none. Browsers enforce no same-origin
 * rule on WebSockets, so any site a user visits could open one to a gateway
 * the user's machine reaches: without a key it would act as the anonymous
 * caller. Same origin: the Origin's host and port are the Host the request
 * was sent to. `Origin: null` (a sandboxed frame, a file) is another origin.
 */
export function fromAnotherOrigin(headers: IncomingHttpHeaders): boolean {
  const { origin, host } = headers;
  if (origin === undefined) return false;
  if (!host) return true;
  try {
    const page = new URL(origin);
    // Read with the page's scheme, so a default port is dropped from both alike.
    return page.host !== new URL(`${page.protocol}//${host}`).host;
  } catch {
    return true;
  }
}
