/**
 * Where a listener is bound, as the start-up log tells it. A listener on a wildcard address
 * (`HOST=0.0.0.0`, `::`) takes connections on every interface of the machine; its clickable URL
 * names loopback (no browser opens 0.0.0.0), and a banner that gave only that URL read as a
 * gateway reachable from this machine alone.
 */

/** 0.0.0.0 and ::, bracketed or not: every interface. */
export function isWildcardHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === '0.0.0.0' || bare === '::';
}

/** The address bound, `host:port` (an IPv6 host in brackets), as the listener was given it. */
export function boundAddress(host: string, port: number): string {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare.includes(':') ? `[${bare}]:${port}` : `${bare}:${port}`;
}

/** The banner's words for a listener: its address, and whether that is every interface. */
export function listeningWords(host: string, port: number): string {
  const address = boundAddress(host, port);
  return isWildcardHost(host) ? `listening on all interfaces (${address})` : `listening on ${address}`;
}
