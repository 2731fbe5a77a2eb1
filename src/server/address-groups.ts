/**
 * Per-address limits and IPv6. One host often holds a whole /64 (SLAAC
 * privacy addresses, a VPS's routed /64) and can take a new address, and so
 * a fresh per-address limit, for every request. Counting by /64 alone would
 * let one host of a shared /64 (a Docker network, a cloud subnet) spend its
 * neighbours' limits instead. So both count: each address its own limit,
 * and its /64 together at most this many addresses' worth.
 */
export const SUBNET_SHARE = 16;

const FULL_IPV6 = /^(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$/;

/**
 * The /64 of a client key from `clientKeyOf` (IPv6 written out in full), or
 * null for IPv4 (one address is one host's) and for anything else.
 */
export function subnetOf(clientKey: string): string | null {
  if (!FULL_IPV6.test(clientKey)) return null;
  return `${clientKey.split(':', 4).join(':')}::/64`;
}

/**
 * A /48 (a site's usual allocation, 65,536 /64s) counts together at most this many /64s'
 * worth, in every per-address limit. Counted by /64 alone, a host holding a /48 took a
 * fresh limit per /64: keys guessed without end, and TCP connections, WebSocket connections
 * and requests without end. Failed authentications at the default limits: a /48 fails
 * 1,280 times per window, at most some 2,600 entries of their 50,000-entry table.
 */
export const SITE_SHARE = 4;

/** The /48 of a client key from `clientKeyOf` (IPv6 written out in full), or null as `subnetOf`. */
export function siteOf(clientKey: string): string | null {
  if (!FULL_IPV6.test(clientKey)) return null;
  return `${clientKey.split(':', 3).join(':')}::/48`;
}

/** Which limit counts something: an address's own, its /64's or its /48's. */
export type AddressGroupKind = 'address' | 'subnet' | 'site';

export interface AddressGroup {
  by: AddressGroupKind;
  /** The address, or its /64 or /48 as `subnetOf` and `siteOf` write them. */
  group: string;
  /** What the group may hold when an address may hold `perAddress`. */
  limit: number;
}

/** The groups `address` counts in, narrowest first: itself, then for IPv6 its /64 and its /48. */
export function groupsOf(address: string, perAddress: number): AddressGroup[] {
  const groups: AddressGroup[] = [{ by: 'address', group: address, limit: perAddress }];
  const subnet = subnetOf(address);
  const site = siteOf(address);
  if (subnet !== null) groups.push({ by: 'subnet', group: subnet, limit: perAddress * SUBNET_SHARE });
  if (site !== null) groups.push({ by: 'site', group: site, limit: perAddress * SUBNET_SHARE * SITE_SHARE });
  return groups;
}

/** The group of `address` that `by` names, with its limit. */
export function groupOf(address: string, by: AddressGroupKind, perAddress: number): AddressGroup {
  return groupsOf(address, perAddress).find((group) => group.by === by) ?? { by: 'address', group: address, limit: perAddress };
}

/** How a refusal names the group that was full. */
export const GROUP_WORDS: Record<AddressGroupKind, string> = { address: 'this address', subnet: "this address's /64", site: "this address's /48" };

/**
 * How many of something (open connections, sockets waiting for connection_init) each
 * address holds: at most `perAddress` each, `SUBNET_SHARE` times as many per /64 and
 * `SITE_SHARE` times a /64's per /48. Only what is held is kept: at most three entries
 * per thing held, so the map is as bounded as what it counts.
 */
export class AddressCounts {
  private readonly counts = new Map<string, number>();

  constructor(private readonly perAddress: number) {}

  /** Takes one for `address`; says which limit refused it, or null when taken. */
  take(address: string): AddressGroupKind | null {
    const groups = groupsOf(address, this.perAddress);
    const full = groups.find(({ group, limit }) => (this.counts.get(group) ?? 0) >= limit);
    if (full !== undefined) return full.by;
    for (const { group } of groups) this.add(group, 1);
    return null;
  }

  /** Gives back one taken for `address`. */
  release(address: string): void {
    for (const { group } of groupsOf(address, this.perAddress)) this.add(group, -1);
  }

  /** How many addresses, /64s and /48s hold something now (what the map keeps). */
  get remembered(): number {
    return this.counts.size;
  }

  /** What `key` (an address, or a /64 or /48 as `subnetOf` and `siteOf` write them) holds now. */
  held(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  private add(key: string, change: number): void {
    const count = (this.counts.get(key) ?? 0) + change;
    // Nothing held is nothing kept: the map stays as small as what is held.
    if (count > 0) this.counts.set(key, count);
    else this.counts.delete(key);
  }
}
