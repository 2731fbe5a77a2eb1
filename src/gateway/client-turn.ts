import { turnWithin } from '../upstream/turn-within.js';
import { isAnonymous, type Principal } from './principal.js';

/**
 * The client whose turn a request's upstream calls wait in at an account's
 * slots (UpstreamScope.client): a keyed client by its key's id, whatever
 * address it calls from; callers without a key by their address (behind a
 * trusted proxy, the client's), as `limits.rateLimit` counts them, and, given
 * `group` (an IPv6 caller's /48, an IPv4 caller's /24: src/server/turn-group.ts),
 * within that group's one turn. The kinds are prefixed apart so an address
 * never names a key's turn.
 */
export function clientTurnOf(principal: Principal, address: string, group: string | null = null): string {
  if (!isAnonymous(principal)) return `key ${principal.keyId}`;
  return group === null ? `address ${address}` : turnWithin(`group ${group}`, `address ${address}`);
}
