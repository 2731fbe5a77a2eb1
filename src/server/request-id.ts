import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import proxyAddr from 'proxy-addr';
import type { ScrubText } from './refusal-lines.js';

/** An offered request id is used only when it is this plain: it goes into log lines and upstream headers. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Where a trusted proxy that sets its own `x-request-id` passes on the one its client offered
 * (deploy/haproxy.cfg): logged beside ours, so the client's trace still leads to our lines.
 */
export const CLIENT_REQUEST_ID_HEADER = 'x-client-request-id';

/** The request's ids: the one its log lines, audit lines and upstream requests carry, and the one its client offered but was not given. */
export interface RequestIds {
  readonly requestId: string;
  /**
   * The id the client offered, kept only to log it beside `requestId`: a plain `x-request-id`
   * from a peer not in `listen.trustedProxies`, or a plain `x-client-request-id` from one that is;
   * scrubbed, as provider answers are (a credential pasted into it is logged as `[redacted]`).
   */
  readonly clientRequestId: string | undefined;
}

const plain = (header: string | string[] | undefined): string | undefined => (typeof header === 'string' && REQUEST_ID.test(header) ? header : undefined);

/**
 * Gives each request its id (`res.locals.requestId`, and the `x-request-id` answer header).
 * The id offered in `x-request-id` is used only when the peer is a trusted proxy (the trust
 * `listen.trustedProxies` gives its X-Forwarded-For), which sets or passes on an id of its own.
 * Any other caller could name another request's id and mix its log and audit lines with that
 * request's: it gets a new id, and what it offered comes back as `clientRequestId` to log. A
 * trusted proxy that sets its own id hands the client's on in `x-client-request-id`, never
 * used as the id either: the client chose it.
 *
 * Each goes into log lines, so each goes through `scrub` (the scrubber of provider answers): a
 * proxy may pass on an id its own client chose, and a client may paste a provider credential
 * there. An offered id the scrubber would change is not used (a new one is made); a client's is
 * logged scrubbed.
 */
export function requestIdAssigner(trustedProxies: readonly string[], scrub: ScrubText = (text) => text): (req: Request, res: Response) => RequestIds {
  const trusted = proxyAddr.compile([...trustedProxies]);
  return (req, res) => {
    const offered = plain(req.headers['x-request-id']);
    const peer = req.socket.remoteAddress;
    const fromTrustedProxy = peer !== undefined && trusted(peer, 0);
    const requestId = offered !== undefined && fromTrustedProxy && scrub(offered) === offered ? offered : randomUUID();
    res.setHeader('x-request-id', requestId);
    res.locals.requestId = requestId;
    const clientRequestId = fromTrustedProxy ? plain(req.headers[CLIENT_REQUEST_ID_HEADER]) : offered;
    return { requestId, clientRequestId: clientRequestId === undefined ? undefined : scrub(clientRequestId) };
  };
}
