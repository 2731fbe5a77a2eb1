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

/** A 6to4 client key (2002::/16, RFC 3056) as clientKeyOf writes it: the IPv4 address in its second and third groups. */
const SIX_TO_FOUR = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4}):/;

/**
 * The IPv4 address a 6to4 key's /48 is made of (`2002:c633:6407::/48` is 198.51.100.7's), or null.
 * Each IPv4 address has one such /48, so a holder of a /24 holds 256 of them: read as IPv6, each
 * took a /48's turn of its own, 256 turns where its IPv4 addresses take one.
 */
function sixToFourIpv4Of(clientKey: string): string | null {
  const groups = SIX_TO_FOUR.exec(clientKey);
  if (!groups) return null;
  const [high, low] = groups.slice(1, 3).map((group) => Number.parseInt(group, 16)) as [number, number];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * Whose upstream turn an anonymous caller's calls wait in (clientTurnOf): `member` takes its
 * turn within `group`'s, so a group's many members together take one turn among the others.
 */
export interface AnonymousTurn {
  /** The IPv6 caller's /48 or the IPv4 (or 6to4) caller's /24; null for a key that is neither (then `member` takes a turn of its own). */
  group: string | null;
  /** The IPv6 caller's /64 (one host's), the IPv4 caller's own address, or the 6to4 caller's /48 (one IPv4 address's). */
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
 * one /24) alternate among themselves, and none is locked out. A 6to4 caller's /48 (one IPv4
 * address's) is a member of that address's /24.
 */
export function anonymousTurnOf(clientKey: string): AnonymousTurn {
  const site = siteOf(clientKey);
  const sixToFour = site === null ? null : sixToFourIpv4Of(clientKey);
  if (site !== null && sixToFour !== null) return { group: ipv4BlockOf(sixToFour), member: site };
  if (site !== null) return { group: site, member: subnetOf(clientKey) ?? clientKey };
  return { group: ipv4BlockOf(clientKey), member: clientKey };
}
