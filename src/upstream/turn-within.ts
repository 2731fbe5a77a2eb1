import type { SlotOwner } from './slots.js';

/**
 * Cannot appear in a client's turn (a key's hex id, an address): what comes before it names the
 * group whose one turn the owner shares, so no owner without it is ever taken for a group.
 */
const WITHIN = '\n';

/**
 * An owner that takes its turns within `group`'s (src/upstream/slots.ts): at the top level the
 * group takes one turn, within it its members take turns, and within a member its calls are
 * first come, first served. An anonymous IPv6 caller's /64 within its /48: one /48 (free from
 * tunnel brokers) holds 65,536 /64s, and a turn per /64 let it push a keyed client's read far back.
 * An anonymous IPv4 caller's address within its /24, as many addresses are as cheap (src/server/turn-group.ts).
 */
export function turnWithin(group: string, member: string): string {
  return `${group}${WITHIN}${member}`;
}

/** The key of the group `owner` takes its turns within, or null for an owner that takes its own. */
export function groupTurnOf(owner: SlotOwner): string | null {
  if (owner === undefined) return null;
  const end = owner.indexOf(WITHIN);
  // Through the separator: a group's key is never an owner's own.
  return end < 0 ? null : owner.slice(0, end + 1);
}
