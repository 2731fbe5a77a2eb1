import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isGatewayError } from '../domain/errors.js';
import { isAnonymous } from '../gateway/principal.js';
import { ANONYMOUS_HOST_MESSAGE } from './anonymous-host.js';
import type { ClientAuthenticator } from './auth.js';
import { authFailuresMessage, type AuthFailureGuard } from './auth-failure-guard.js';
import type { ClientAddressOf } from './client-address.js';
import type { AddressedRequest } from './host-as-written.js';
import type { RefusalLines } from './refusal-lines.js';

export interface RequestAuthentication {
  authenticator: ClientAuthenticator;
  /** `limits.authFailures`, the same counts as WebSocket's. */
  authFailures: AuthFailureGuard;
  clientAddressOf: ClientAddressOf;
  /** Whether a caller without a key is answered at the name its request was sent to (see anonymousRequestAllowed). */
  anonymousAtHost(req: AddressedRequest): boolean;
  /** One line per address and kind of refusal per period, shared with the WebSocket path. */
  refusalLines: RefusalLines;
}

/**
 * Who an HTTP request to /graphql speaks for (`res.locals.principal`), by the same rules as a
 * WebSocket's connection_init (ws/admission.ts): an address held back for failed
 * authentications is refused before its key is looked at (429), a key that fails is 401 and
 * counted, a caller without a key at a name not in `listen.allowedHosts` is 403.
 */
export function authenticateRequests(rules: RequestAuthentication): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const address = rules.clientAddressOf(req);
    const hold = rules.authFailures.refusal(address);
    if (hold !== null) {
      const message = authFailuresMessage(hold);
      res
        .status(429)
        .setHeader('retry-after', String(hold.retryAfterSeconds))
        .json({ errors: [{ message, extensions: { code: 'QUERY_TOO_COMPLEX', retryAfterSeconds: hold.retryAfterSeconds } }] });
      return;
    }
    try {
      const principal = rules.authenticator.authenticate(req.headers.authorization);
      if (isAnonymous(principal) && !rules.anonymousAtHost(req)) {
        // As the WebSocket path logs it: an operator whose users get 403 can see which name they used.
        rules.refusalLines.info(address, { requestId: res.locals.requestId, remote: req.socket.remoteAddress, host: String(req.headers.host) }, 'request refused: anonymous at a name not in listen.allowedHosts');
        res.status(403).json({ errors: [{ message: ANONYMOUS_HOST_MESSAGE, extensions: { code: 'FORBIDDEN' } }] });
        return;
      }
      res.locals.principal = principal;
      next();
    } catch (error) {
      // Waited for (at most the shared count's wait): the client's next request, to any replica, finds it counted.
      await rules.authFailures.failed(address);
      res.status(401).setHeader('www-authenticate', 'Bearer').json(refusalBody(error));
    }
  };
}

function refusalBody(error: unknown) {
  const code = isGatewayError(error) ? error.code : 'UNAUTHENTICATED';
  const message = isGatewayError(error) ? error.message : 'authentication failed';
  return { errors: [{ message, extensions: { code } }] };
}
