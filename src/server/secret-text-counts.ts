import { isAnonymous, type Principal } from '../gateway/principal.js';
import { addressCountKey, keyCounts, networkCountKey, type RefusalCount } from '../gateway/secret-text.js';
import { anonymousTurnOf } from './turn-group.js';

/**
 * Whose limits.secretTextRefusals a write counts against. A keyed client: its key's, wherever it
 * calls from. A caller without a key: its address (an IPv6 caller's /64, one host's: it can take a
 * fresh address of it for every write), and the IPv4 /24 or IPv6 /48 that lies around it
 * (`GROUP_SHARE` addresses' worth), as anonymous callers' upstream turns are grouped
 * (turn-group.ts). Counted as the one principal they share, one anonymous prober's refusals held
 * every anonymous writer back for the window (a day by default); an attacker with many addresses
 * now has `perKey` refusals per address and `GROUP_SHARE` times that per /24 or /48 (docs/security.md).
 * Prefixed apart from a key's hex digest, as idempotency owners are.
 */
export function secretTextCountsOf(principal: Principal, address: string): readonly RefusalCount[] {
  if (!isAnonymous(principal)) return keyCounts(principal);
  const { group, member } = anonymousTurnOf(address);
  const own: RefusalCount = { key: addressCountKey(member), group: false, who: prefixOf(member) === null ? 'this address' : `this address's ${prefixOf(member)}` };
  if (group === null) return [own];
  return [own, { key: networkCountKey(group), group: true, who: `this address's ${prefixOf(group) ?? group}` }];
}

/** The prefix length a group as address-groups and turn-group write it ends in ("/64"), null for an address. */
const prefixOf = (group: string): string | null => /\/\d+$/.exec(group)?.[0] ?? null;
