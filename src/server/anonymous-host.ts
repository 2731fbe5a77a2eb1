import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { sentToNameAsWritten, type AddressedRequest } from './host-as-written.js';
import { sentToLoopbackName } from './loopback-host.js';

/** Also a WebSocket close reason: at most a close frame's 123 bytes (a unit test holds it there). */
export const ANONYMOUS_HOST_MESSAGE =
  'without a key, answered only at an IP address, localhost or a name in listen.allowedHosts: list this name, or send a key';

/** An entry of `listen.allowedHosts`: a host name, or `.name` for it and every name under it. */
export const ALLOWED_HOST = /^\.?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * Whether a caller without a key may be answered at the name its request was
 * sent to. A page of any site can point a name of its own at the gateway's
 * address (DNS rebinding): the browser then takes the gateway for that site,
 * the Origin check of a WebSocket passes (Origin and Host name the same
 * site) and so does CSRF prevention, and the page acts as the anonymous
 * caller. Such a request names the site in its Host, so anonymous callers
 * are answered only at an IP address (a page served from it is the gateway's
 * own), a loopback name, or a name the config lists; callers with a key
 * anywhere (a page holds no key it was not given).
 */
export function anonymousHostAllowed(headers: IncomingHttpHeaders, allowedHosts: readonly string[]): boolean {
  if (sentToLoopbackName(headers)) return true;
  let hostname: string;
  try {
    hostname = new URL(`http://${headers.host ?? ''}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (hostname.endsWith('.')) hostname = hostname.slice(0, -1);
  if (isIP(hostname.replace(/^\[|\]$/g, '')) !== 0) return true;
  return allowedHosts.some((entry) => {
    const allowed = entry.toLowerCase().replace(/\.$/, '');
    return allowed.startsWith('.') ? hostname === allowed.slice(1) || hostname.endsWith(allowed) : hostname === allowed;
  });
}

/**
 * anonymousHostAllowed for a whole request, read strictly (host-as-written.ts): its one Host
 * line and an absolute-form target's authority must both pass, each written as it reads.
 */
export function anonymousRequestAllowed(req: AddressedRequest, allowedHosts: readonly string[]): boolean {
  return sentToNameAsWritten(req, (headers) => anonymousHostAllowed(headers, allowedHosts));
}
