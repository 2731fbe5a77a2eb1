import { GatewayError } from '../domain/errors.js';
import type { Role } from '../config/schema.js';

/** Who is asking: a configured client, or the anonymous admin of demo mode / allowAnonymous. */
export interface Principal {
  name: string;
  /**
   * Who holds the key, not what the client is called: the SHA-256 of its API
   * key (hex), "anonymous" without one. Idempotency records and rate limits
   * are keyed by it.
   */
  keyId: string;
  roles: ReadonlySet<Role>;
  /** Provider account ids this client may see; null means all. */
  providers: ReadonlySet<string> | null;
}

export const ANONYMOUS_ADMIN: Principal = { name: 'anonymous', keyId: 'anonymous', roles: new Set(['viewer', 'operator', 'admin']), providers: null };

/** A caller without a key, with `role` (and the roles below it); every provider account. */
export const anonymousWith = (role: Role): Principal => (role === 'admin' ? ANONYMOUS_ADMIN : { name: 'anonymous', keyId: 'anonymous', roles: new Set([role]), providers: null });

/** Callers without a key share one principal (per address where something is counted). */
export const isAnonymous = (principal: Principal): boolean => principal.keyId === 'anonymous';

/** Roles include the ones below them: admin > operator > viewer. */
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function hasRole(principal: Principal, role: Role): boolean {
  return [...principal.roles].some((held) => RANK[held] >= RANK[role]);
}

const highestRole = (principal: Principal): Role | undefined => [...principal.roles].sort((a, b) => RANK[b] - RANK[a])[0];

/** The roles that satisfy `role`, as a caller would ask a config's owner for one. */
const rolesIncluding = (role: Role): string => (Object.keys(RANK) as Role[]).filter((each) => RANK[each] >= RANK[role]).join(' or ');

/** Says what the caller holds and which key to send instead: "needs the operator role" alone left a viewer guessing. */
export function requireRole(principal: Principal, role: Role, action: string): void {
  if (hasRole(principal, role)) return;
  const holder = isAnonymous(principal) ? 'a caller without a key has' : 'this key has';
  const held = highestRole(principal) ?? 'no role';
  const where = isAnonymous(principal) ? ' (anonymousRole)' : '';
  throw new GatewayError('FORBIDDEN', `${action} needs the ${role} role; ${holder} ${held}${where}: send the key of a client whose roles include ${rolesIncluding(role)} (the config's clients)`);
}

export const canSeeProvider = (principal: Principal, providerId: string): boolean =>
  principal.providers === null || principal.providers.has(providerId);
