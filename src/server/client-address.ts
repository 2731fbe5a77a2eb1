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
  if (trustedProxies.length === 0) return (request) => request.socket.remoteAddress ?? '';
  const trusted = proxyAddr.compile([...trustedProxies]);
  return (request) => proxyAddr(request, trusted);
}

/** Why `entry` is not something proxy-addr can trust (an address, a CIDR range or a range name), or null. */
export function trustedProxyProblem(entry: string): string | null {
  try {
    proxyAddr.compile(entry);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : 'not an address, a CIDR range or a range name';
  }
}
