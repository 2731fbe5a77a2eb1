import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

/** What the rule reads of a request; node's IncomingMessage (an HTTP request or a WebSocket upgrade) has all of it. */
export interface AddressedRequest {
  headers: IncomingHttpHeaders;
  rawHeaders: readonly string[];
  url?: string | undefined;
}

/** A check of one name a request was sent to, given as a Host value (anonymousHostAllowed, sentToLoopbackName). */
export type HostCheck = (headers: { host: string }) => boolean;

/**
 * Whether a request was sent to a name `allowed` takes, read strictly: every guard that
 * decides by the name a request was sent to (DNS rebinding) reads it here, so the admin
 * listener, the anonymous caller of `allowAnonymous` and demo mode's loopback check refuse
 * the same requests. Refused besides, though each may pass `allowed` as first read:
 * - two Host lines: node reads the first, a proxy in front may route by
 *   the other (RFC 9112 has a server refuse the request); every request of
 *   both listeners is refused so before it gets here (request-framing.ts),
 *   and this stays for a caller that skipped that;
 * - an absolute-form target (`GET http://evil/metrics`): its authority, not
 *   the Host line, names the site (RFC 9112 3.2.2), so both must pass;
 * - an IPv4 address as no client writes it (`2130706433`, `0x7f.1`,
 *   `127.1`): the URL parser reads it as 127.0.0.1, other parsers (a proxy,
 *   a resolver) as a name. Browsers send the dotted form they print.
 * A loopback name with its root's trailing dot (`localhost.`) stays
 * answered: it is the same name, no one can point it elsewhere, and
 * loopback-host.ts reads it so on purpose.
 */
export function sentToNameAsWritten(req: AddressedRequest, allowed: HostCheck): boolean {
  if (hostLines(req) !== 1) return false;
  const host = req.headers.host ?? '';
  if (!writtenAsItReads(host) || !allowed({ host })) return false;
  const authority = absoluteFormAuthority(req.url ?? '');
  if (authority === undefined) return true;
  return authority !== null && writtenAsItReads(authority) && allowed({ host: authority });
}

function hostLines(req: AddressedRequest): number {
  let count = 0;
  for (let index = 0; index < req.rawHeaders.length; index += 2) if (req.rawHeaders[index]?.toLowerCase() === 'host') count += 1;
  return count;
}

/**
 * The authority of an absolute-form target as written (the URL parser would turn `2130706433`
 * into 127.0.0.1 first); undefined for origin-form (`/metrics`), null for one with a user or none.
 */
function absoluteFormAuthority(target: string): string | null | undefined {
  if (target.startsWith('/') || target === '*') return undefined;
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(target)?.[1];
  return authority === undefined || authority === '' || authority.includes('@') ? null : authority;
}

/**
 * Whether a Host value's name reads as written: a name of letters, digits, dots and hyphens
 * that is no number the URL parser takes for an IPv4 address, an IPv4 address in its dotted
 * decimal form, or an IPv6 address in brackets.
 */
function writtenAsItReads(host: string): boolean {
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/i.exec(host);
  if (bracketed) return isIP(bracketed[1] ?? '') === 6;
  const name = host.replace(/:\d{1,5}$/, '');
  if (isIP(name) === 4) return true;
  // The URL parser's IPv4 forms: a last label of digits, or hex (`0x7f`), makes the whole an address.
  const labels = name.replace(/\.$/, '').split('.');
  const last = labels.at(-1) ?? '';
  if (/^(?:\d+|0x[0-9a-f]*)$/i.test(last)) return false;
  return /^[a-z0-9.-]+$/i.test(name);
}
