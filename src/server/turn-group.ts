import { siteOf, subnetOf } from './address-groups.js';

/** An IPv4 client key as `clientKeyOf` writes it (IPv4-mapped and NAT64 IPv6 come out as this too). */
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/;

/**
 * The /24 of an IPv4 client key from `clientKeyOf` (`198.51.100.0/24`), or null for IPv6 and
 * anything else. The /24 is the smallest prefix routed between networks: one host or network
 * given many IPv4 addresses holds at least a /24's worth of them, where its addresses lie side by side.
 */
export function ipv4BlockOf(clientKey: string): string | null {
  const octets = IPV4.exec(clientKey);
  if (!octets) return null;
  const [a, b, c] = octets.slice(1, 4).map(Number) as [number, number, number];
  if ([a, b, c].some((octet) => octet > 255)) return null;
  return `${a}.${b}.${c}.0/24`;
}

/**
 * Whose upstream turn an anonymous caller's calls wait in (clientTurnOf): `member` takes its
 * turn within `group`'s, so a group's many members together take one turn among the others.
 */
export interface AnonymousTurn {
  /** The IPv6 caller's /48 or the IPv4 caller's /24; null for a key that is neither (then `member` takes a turn of its own). */
  group: string | null;
  /** The IPv6 caller's /64 (one host's) or the IPv4 caller's own address. */
  member: string;
}

/**
 * An anonymous caller's turn by its client key. A turn per address let a host with many addresses
 * take a turn per address, each as large as a keyed client's, and no rate limit is on by default:
 * 40 IPv6 addresses of one /64 sent a keyed client's one read 29th, 40 /64s of one /48 56th, 40
 * IPv4 addresses of one /24 (or 40 IPv4-mapped IPv6 ones) 52nd. So an IPv6 caller's /64 takes
 * its turn within its /48's (a /48, 65,536 /64s, is free from tunnel brokers), and an IPv4 caller's
 * address within its /24's (the smallest routable IPv4 prefix). Members still take turns within
 * their group: an ISP's customers (a /56 each of one /48) or a carrier-grade NAT's (addresses of
 * one /24) alternate among themselves, and none is locked out.
 */
export function anonymousTurnOf(clientKey: string): AnonymousTurn {
  const site = siteOf(clientKey);
  if (site !== null) return { group: site, member: subnetOf(clientKey) ?? clientKey };
  return { group: ipv4BlockOf(clientKey), member: clientKey };
}
