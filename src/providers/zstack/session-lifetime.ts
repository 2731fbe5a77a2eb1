import { parseZstackDate } from './mapper.js';

/**
 * How long a session from `logInByAccount` lives, from its SessionInventory: `expiredDate` less
 * `createDate`, both on the management node's clock, so a skew between its clock and the gateway's
 * does not move the renewal. Both are written in the node's zone without naming it; read in one
 * zone, their difference is the lifetime whichever it is. Null when either is missing or unreadable,
 * or the lifetime is not positive: the session is then renewed only when ZStack refuses it.
 */
export function sessionLifetimeMs(inventory: unknown): number | null {
  const row = (inventory ?? {}) as { createDate?: unknown; expiredDate?: unknown };
  const created = parseZstackDate(row.createDate, 'UTC');
  const expires = parseZstackDate(row.expiredDate, 'UTC');
  if (created === null || expires === null) return null;
  const lifetime = expires.getTime() - created.getTime();
  return lifetime > 0 ? lifetime : null;
}
