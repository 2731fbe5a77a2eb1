import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';

/** The address a request came from: the peer's, or the client's behind a trusted proxy. */
export type ClientAddressOf = (request: IncomingMessage) => string;

/**
 * Behind a proxy (HAProxy, an ingress) every client arrives from the proxy's
 * address, so per-address limits (anonymous rate limits, WebSocket sockets
 * waiting for connection_init) would put all clients in one bucket, where
 * one of them can lock the others out. `listen.trustedProxies` names the
 * proxies whose `X-Forwarded-For` is believed, with express's own rules
 * (proxy-addr: addresses, CIDR ranges, `loopback`, `uniquelocal`...): the
 * client address is the last hop not among them. A header from any other
 * peer is ignored, so a client cannot pick its own bucket.
 */
export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddressOf {
  const trusted = proxyAddr.compile([...trustedProxies]);
  return (request) => {
    // The peer first, then each hop a trusted proxy vouches for, up to the first untrusted one.
    // With nothing trusted that is the peer alone.
    const hops = proxyAddr.all(nearestHops(request), trusted);
    // A hop that is not an IP address (a header made up of up to 16 KB of anything) ends
    // the walk at the nearest trusted hop: it would otherwise be a bucket key of its own
    // choosing, as long as it likes, one per request.
    let address = '';
    for (const hop of hops) {
      if (hop === undefined || hop.length > MAX_ADDRESS_LENGTH || isIP(hop) === 0) break;
      address = hop;
    }
    return clientKeyOf(address);
  };
}

/**
 * Entries of X-Forwarded-For looked at, the nearest: a chain of proxies is a few hops, and the walk
 * above costs a parse and a match against every trusted range per hop. A peer that is itself
 * trusted (any pod, where the range is `uniquelocal`) may send 16 KiB of them, some 1,800: 1.3 ms a
 * look at a request, which is looked at several times. Past them the walk ends, at an address such
 * a peer could have named anyway.
 */
export const MAX_FORWARDED_HOPS = 32;

/** The request as proxy-addr reads it, with only the last MAX_FORWARDED_HOPS entries of its X-Forwarded-For. */
function nearestHops(request: IncomingMessage): IncomingMessage {
  const header = request.headers['x-forwarded-for'];
  if (typeof header !== 'string') return request;
  let cut = header.length;
  for (let entries = 0; entries < MAX_FORWARDED_HOPS && cut >= 0; entries++) cut = header.lastIndexOf(',', cut - 1);
  if (cut < 0) return request;
  // What proxy-addr (through `forwarded`) reads of a request: its socket's address and that header.
  const nearest: Pick<IncomingMessage, 'socket' | 'headers'> = { socket: request.socket, headers: { 'x-forwarded-for': header.slice(cut + 1) } };
  return nearest as IncomingMessage;
}

/**
 * One key per client, whatever the spelling: `::ffff:203.0.113.7` is
 * 203.0.113.7, IPv6 is written out in full, and a zone id (`%eth0`, which
 * names our interface, not the client) is dropped. Each IPv6 address counts
 * on its own, not only as part of its /64: separate hosts share a /64 in
 * Docker networks and cloud subnets, and one of them must not spend the
 * others' limits (the /64 has a shared limit too: see address-groups.ts).
 */
export function clientKeyOf(address: string): string {
  if (address !== lastAddress) {
    lastKey = keyOf(address);
    lastAddress = address;
  }
  return lastKey;
}

/**
 * The last address keyed, and its key. A request is looked at up to five times (authentication,
 * rate limit, context, the unsent-answer ledger twice) and a keep-alive client sends many from
 * one address; ipaddr.js's parse and range match cost 2-8 µs each time. One entry: the key is a
 * pure function of the text, so there is nothing to expire or to bound.
 */
let lastAddress: string | undefined;
let lastKey = '';

function keyOf(address: string): string {
  const zone = address.indexOf('%');
  const bare = withHexTail((zone < 0 ? address : address.slice(0, zone)).toLowerCase());
  try {
    // IPv4-mapped IPv6 comes back as IPv4; IPv6 in full, lower case.
    const parsed = ipaddr.process(bare);
    // NAT64 (64:ff9b::/96, RFC 6052): the client is the IPv4 address inside. As IPv6, every
    // IPv4 client behind the translator would share one /64 and its limits.
    if (parsed.range() === 'rfc6052') {
      const [, , , , , , high = 0, low = 0] = (parsed as ipaddr.IPv6).parts;
      return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
    }
    return parsed.toNormalizedString();
  } catch {
    // Forms node takes and ipaddr.js 1.9 does not: the address as written.
    return bare;
  }
}

/**
 * IPv6 written with its last 32 bits as a dotted quad (`2001:db8::1.2.3.4`,
 * `::1.2.3.4`), which node accepts and ipaddr.js 1.9 does not, with those
 * bits in hex instead (`2001:db8::102:304`): one key per address, and a /64
 * for it, however a proxy wrote it. Other text is left as it is.
 */
function withHexTail(address: string): string {
  const tail = /:(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  // An IPv4-mapped address (`::ffff:1.2.3.4`) comes out as `::ffff:102:304`, which ipaddr.js reads as IPv4 all the same.
  if (!tail) return address;
  const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
  if ([a, b, c, d].some((octet) => octet > 255)) return address;
  return `${address.slice(0, tail.index)}:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/** The longest IPv6 text (45 characters) with room for a short zone id. */
const MAX_ADDRESS_LENGTH = 64;

/** Why `entry` is not something proxy-addr can trust (an address, a CIDR range or a range name), or null. */
export function trustedProxyProblem(entry: string): string | null {
  try {
    proxyAddr.compile(entry);
    return null;
  } catch (error) {
    // proxy-addr throws a TypeError naming the entry.
    return (error as TypeError).message;
  }
}
