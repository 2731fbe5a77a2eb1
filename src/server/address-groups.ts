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
 * Failed authentications only: a /48 (a site's usual allocation, 65,536 /64s) counts
 * together at most this many /64s' worth. Counted by /64 alone, a host holding a /48
 * took a fresh limit per /64, guessing without end, and each failure from a fresh /64
 * took two entries of the table of remembered failures (its address and its /64),
 * pushing out other addresses' counts. At the default limits a /48 fails 1,280 times
 * per window: at most some 2,600 entries of 50,000.
 */
export const SITE_SHARE = 4;

/** The /48 of a client key from `clientKeyOf` (IPv6 written out in full), or null as `subnetOf`. */
export function siteOf(clientKey: string): string | null {
  if (!FULL_IPV6.test(clientKey)) return null;
  return `${clientKey.split(':', 3).join(':')}::/48`;
}

/**
 * How many of something (sockets waiting for connection_init) each address
 * holds: at most `perAddress` each, `perAddress * SUBNET_SHARE` per /64.
 */
export class AddressCounts {
  private readonly counts = new Map<string, number>();

  constructor(private readonly perAddress: number) {}

  /** Takes one for `address`; says which limit refused it, or null when taken. */
  take(address: string): 'address' | 'subnet' | null {
    if ((this.counts.get(address) ?? 0) >= this.perAddress) return 'address';
    const subnet = subnetOf(address);
    if (subnet !== null && (this.counts.get(subnet) ?? 0) >= this.perAddress * SUBNET_SHARE) return 'subnet';
    this.add(address, 1);
    if (subnet !== null) this.add(subnet, 1);
    return null;
  }

  /** Gives back one taken for `address`. */
  release(address: string): void {
    this.add(address, -1);
    const subnet = subnetOf(address);
    if (subnet !== null) this.add(subnet, -1);
  }

  /** How many addresses and /64s hold something now (what the map keeps). */
  get remembered(): number {
    return this.counts.size;
  }

  /** What `key` (an address, or a /64 as `subnetOf` writes it) holds now. */
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
