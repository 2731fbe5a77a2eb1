import type { IncomingMessage } from 'node:http';
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
  // With nothing trusted, proxy-addr answers the peer's address.
  const trusted = proxyAddr.compile([...trustedProxies]);
  // A socket already destroyed has no address left.
  return (request) => proxyAddr(request, trusted) ?? '';
}

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
