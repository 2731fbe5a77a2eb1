import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import proxyAddr from 'proxy-addr';

/** An offered request id is used only when it is this plain: it goes into log lines and upstream headers. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The request's ids: the one its log lines, audit lines and upstream requests carry, and the one its client offered but was not given. */
export interface RequestIds {
  readonly requestId: string;
  /** A plain `x-request-id` from a peer not in `listen.trustedProxies`, kept only to log it beside `requestId`. */
  readonly clientRequestId: string | undefined;
}

/**
 * Gives each request its id (`res.locals.requestId`, and the `x-request-id` answer header).
 * The id offered in `x-request-id` is used only when the peer is a trusted proxy (the trust
 * `listen.trustedProxies` gives its X-Forwarded-For), which sets or passes on an id of its own.
 * Any other caller could name another request's id and mix its log and audit lines with that
 * request's: it gets a new id, and what it offered comes back as `clientRequestId` to log.
 */
export function requestIdAssigner(trustedProxies: readonly string[]): (req: Request, res: Response) => RequestIds {
  const trusted = proxyAddr.compile([...trustedProxies]);
  return (req, res) => {
    const header = req.headers['x-request-id'];
    const offered = typeof header === 'string' && REQUEST_ID.test(header) ? header : undefined;
    const peer = req.socket.remoteAddress;
    const fromTrustedProxy = peer !== undefined && trusted(peer, 0);
    const requestId = offered !== undefined && fromTrustedProxy ? offered : randomUUID();
    res.setHeader('x-request-id', requestId);
    res.locals.requestId = requestId;
    return { requestId, clientRequestId: offered !== undefined && !fromTrustedProxy ? offered : undefined };
  };
}
