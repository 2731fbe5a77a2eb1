import { anonymousRequestAllowed } from './anonymous-host.js';
import type { AddressedRequest } from './host-as-written.js';

/**
 * Whether the admin listener answers a request, by the name it was sent to: the rule of a
 * caller without a key (an IP address, a loopback name, a name in admin.allowedHosts), read
 * strictly (host-as-written.ts), since the admin listener has no keys and the name is its
 * only guard against a page of another site (DNS rebinding).
 */
export function adminHostAllowed(req: AddressedRequest, allowedHosts: readonly string[]): boolean {
  return anonymousRequestAllowed(req, allowedHosts);
}
