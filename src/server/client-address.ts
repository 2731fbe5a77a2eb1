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
    const hops = proxyAddr.all(request, trusted);
    // A hop that is not an IP address (a header made up of up to 16 KB of anything) ends
    // the walk at the nearest trusted hop: it would otherwise be a bucket key of its own
    // choosing, as long as it likes, one per request.
    let address = '';
    for (const hop of hops) {
      if (hop === undefined || hop.length > MAX_ADDRESS_LENGTH || isIP(hop) === 0) break;
      address = hop;
    }
    return address === '' ? '' : clientKeyOf(address);
  };
}

/**
 * One key per client, whatever the spelling: `::ffff:203.0.113.7` is
 * 203.0.113.7, IPv6 in its canonical lower-case form without a zone id, and
 * counted by its /64, since one host is routinely given a whole /64 and
 * could otherwise take a fresh address (and a fresh bucket) per request.
 */
export function clientKeyOf(address: string): string {
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  // The network's four groups in hex, uncompressed: one spelling per /64.
  return `${(parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16)).join(':')}::/64`;
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
