import type { IncomingMessage } from 'node:http';

export const VERSION_REFUSED = 'only HTTP/1.1 and HTTP/1.0 are served on this port: send the request line as HTTP/1.1';
export const HTTP10_TRANSFER_CODING_REFUSED = 'an HTTP/1.0 request cannot carry Transfer-Encoding: send the body with Content-Length, or the request as HTTP/1.1';
export const repeatedHeaderRefused = (name: string): string => `the ${name} header was sent on more than one line: send it once`;

/**
 * Headers the gateway decides by that hold one value. Node keeps the first of repeated lines
 * of these and drops the rest without a word, while a proxy in front may read the last (or
 * have appended its own): the request the gateway judged was not the one the proxy did.
 * RFC 9110 5.3 lets only list-valued fields repeat, and RFC 9112 3.2 has a server refuse a
 * request with more than one Host line: a proxy in front may route by one (the tenant, the
 * backend) while the gateway read the other. Refused on every request of both listeners,
 * WebSocket upgrades too, not only where a guard reads the name (host-as-written.ts).
 */
const SINGLE_VALUED = ['host', 'authorization', 'content-type'] as const;

/**
 * A version llhttp parses but the gateway does not speak: `HTTP/2.0` or `HTTP/0.9` in a
 * text request line (no HTTP/2 client sends one; node answered it as HTTP/1.1).
 */
export function unservedHttpVersion(request: Pick<IncomingMessage, 'httpVersion'>): boolean {
  return request.httpVersion !== '1.1' && request.httpVersion !== '1.0';
}

/**
 * An HTTP/1.0 request with Transfer-Encoding: RFC 9112 6.1 has its framing treated as
 * faulty, since a 1.0 hop in front frames it by Content-Length or by the connection's
 * close while node read it chunked (request smuggling). Refused, its body unread.
 */
export function transferCodingOnHttp10(request: Pick<IncomingMessage, 'httpVersion' | 'headers'>): boolean {
  return request.httpVersion === '1.0' && request.headers['transfer-encoding'] !== undefined;
}

/** The first single-valued header sent on more than one line, as node spells it (lower case), or undefined. */
export function repeatedSingleValuedHeader(rawHeaders: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]?.toLowerCase() ?? '';
    if (!(SINGLE_VALUED as readonly string[]).includes(name)) continue;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}
