import type { IncomingHttpHeaders } from 'node:http';
import { sentToNameAsWritten, type AddressedRequest } from './host-as-written.js';

/**
 * Whether a request was sent to a loopback name: `localhost` (and names under
 * it, which browsers resolve to loopback themselves), 127.0.0.0/8 or [::1].
 * Demo mode's anonymous admin answers only those. A page of any site can
 * point a name of its own at 127.0.0.1 (DNS rebinding): the browser then
 * takes the gateway for that site, and the same-origin check of a WebSocket
 * (Origin against Host) passes; its Host still names that site.
 */
export function sentToLoopbackName(headers: IncomingHttpHeaders): boolean {
  let hostname: string;
  try {
    // No Host at all reads as no host, which the URL refuses.
    hostname = new URL(`http://${headers.host ?? ''}`).hostname;
  } catch {
    return false;
  }
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  return name === 'localhost' || name.endsWith('.localhost') || name === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(name);
}

/** sentToLoopbackName for a whole request, read strictly (host-as-written.ts), as the admin listener reads it. */
export function requestToLoopbackName(req: AddressedRequest): boolean {
  return sentToNameAsWritten(req, sentToLoopbackName);
}

export const NOT_A_LOOPBACK_NAME_MESSAGE = 'demo mode answers requests to localhost or a loopback address only (Host names another site: DNS rebinding?)';
