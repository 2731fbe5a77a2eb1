import { CloseCode } from 'graphql-ws';
import { isGatewayError } from '../../domain/errors.js';
import { isAnonymous, type Principal } from '../../gateway/principal.js';
import { ANONYMOUS_HOST_MESSAGE } from '../anonymous-host.js';
import type { ClientAuthenticator } from '../auth.js';
import { authFailuresMessage, type AuthFailureGuard } from '../auth-failure-guard.js';
import type { AddressedRequest } from '../host-as-written.js';
import { requestToLoopbackName } from '../loopback-host.js';
import { fromAnotherOrigin } from '../origin.js';
import type { RefusalLines } from '../refusal-lines.js';
import { CLOSE_FORBIDDEN, CLOSE_TOO_MANY } from './close.js';

/**
 * Longest connection_init message, in characters: its payload (connectionParams) carries an Authorization
 * header, as an HTTP request's headers do, and node takes at most 16 KiB of those.
 */
export const MAX_CONNECTION_INIT_BYTES = 16 * 1024;
export const CONNECTION_INIT_TOO_LARGE = `connection_init longer than ${MAX_CONNECTION_INIT_BYTES} characters: connectionParams carries only the Authorization`;
export const ANOTHER_ORIGIN_MESSAGE = 'a page from another origin needs a client key (connectionParams.Authorization)';

export interface AdmissionRules {
  authenticator: ClientAuthenticator;
  /** `limits.authFailures`, the same counts as HTTP's. */
  authFailures: AuthFailureGuard;
  /** Demo mode: only connections sent to a loopback name (see sentToLoopbackName). */
  loopbackNamesOnly?: boolean;
  /** Whether a caller without a key is answered at the name its request was sent to (see anonymousRequestAllowed). */
  anonymousAtHost(req: AddressedRequest): boolean;
  /** One line per address and kind of refusal per period, shared with the HTTP path. */
  refusalLines: RefusalLines;
}

/** A connection_init as the gateway reads it. */
export interface ConnectionInit {
  /** The client's address, behind a trusted proxy too. */
  address: string;
  /** Characters of the connection_init message. */
  characters: number;
  connectionParams: Readonly<Record<string, unknown>> | undefined;
  /** The upgrade request. */
  request: AddressedRequest;
}

/** A connection refused at connection_init: the close frame's code and reason. */
export interface InitRefusal {
  code: number;
  reason: string;
  /**
   * A failed authentication's count across replicas (Redis), to wait for before closing, as an
   * HTTP 401 waits: closed at once, the client's next connection reached a replica before the
   * count that holds its address back had answered.
   */
  counted?: Promise<void>;
}

/**
 * Who a connection_init speaks for, or why it is refused, by the same rules as an HTTP request:
 * size, the failed-authentication hold, the key, demo mode's loopback names, the names anonymous
 * callers are answered at, and the page's origin. The connection caps come after (ConnectionCaps).
 */
export function admitConnection(rules: AdmissionRules, init: ConnectionInit): { principal: Principal } | InitRefusal {
  const { address, request } = init;
  const { headers } = request;
  // graphql-ws keeps connectionParams for the connection's life: a 1 MiB connection_init of
  // `[{},{},...]` held some 23 MB of heap per connection, 460 MB per client key (20
  // connections), and a few anonymous addresses ran the process out of memory.
  if (init.characters > MAX_CONNECTION_INIT_BYTES) {
    rules.refusalLines.info(address, { remote: address, characters: init.characters, limit: MAX_CONNECTION_INIT_BYTES }, 'WebSocket connection refused: connection_init too large');
    return { code: CloseCode.BadRequest, reason: CONNECTION_INIT_TOO_LARGE };
  }
  // As two Authorization lines of an HTTP request are (request-framing.ts): refused before the
  // key is looked at, and not counted as a failed authentication, a fault of form.
  if (twoAuthorizations(init.connectionParams)) {
    rules.refusalLines.info(address, { remote: address }, 'WebSocket connection refused: connectionParams carries authorization and Authorization');
    return { code: CloseCode.BadRequest, reason: TWO_AUTHORIZATIONS };
  }
  const hold = rules.authFailures.refusal(address);
  if (hold !== null) return { code: CLOSE_TOO_MANY, reason: authFailuresMessage(hold) };
  let principal: Principal;
  const authorization = connectionAuthorization(init.connectionParams);
  if (typeof authorization === 'object') {
    // Read as no key, an array or object was told "a key is required" (the key was there, in the
    // wrong shape), or, where callers without a key are served, let in as one: refused as HTTP
    // refuses a malformed Authorization, and counted the same.
    return { code: CLOSE_FORBIDDEN, reason: notAStringMessage(authorization.notAString), counted: rules.authFailures.failed(address) };
  }
  try {
    principal = rules.authenticator.authenticate(authorization);
  } catch (error) {
    const counted = rules.authFailures.failed(address);
    // HTTP's "an Authorization: Bearer <key> header is required" misled here: a client that had
    // put the key in the upgrade request's headers was told to send the header it had sent.
    const reason = authorization === undefined || authorization === '' ? WS_KEY_REQUIRED : isGatewayError(error) ? error.message : 'authentication failed';
    return { code: CLOSE_FORBIDDEN, reason, counted };
  }
  if (rules.loopbackNamesOnly && !requestToLoopbackName(request)) {
    rules.refusalLines.info(address, { remote: address, host: String(headers.host) }, 'WebSocket connection refused: not sent to a loopback name');
    return { code: CLOSE_FORBIDDEN, reason: 'demo mode answers localhost or a loopback address only' };
  }
  if (isAnonymous(principal) && !rules.anonymousAtHost(request)) {
    rules.refusalLines.info(address, { remote: address, host: String(headers.host) }, 'WebSocket connection refused: anonymous at a name not in listen.allowedHosts');
    return { code: CLOSE_FORBIDDEN, reason: ANONYMOUS_HOST_MESSAGE };
  }
  if (isAnonymous(principal) && fromAnotherOrigin(headers)) {
    // A page of another site, riding on the network position of whoever opened it.
    rules.refusalLines.info(address, { remote: address, origin: String(headers.origin) }, 'WebSocket connection refused: another origin without a key');
    return { code: CLOSE_FORBIDDEN, reason: ANOTHER_ORIGIN_MESSAGE };
  }
  return { principal };
}

/** The close reason for a connection_init without a key (at most 123 bytes, as every close reason). */
export const WS_KEY_REQUIRED = 'a key is required in connectionParams: { authorization: "Bearer <key>" } (not an upgrade header; GraphiQL: Headers tab)';

/** The close reason for connectionParams carrying the key under both spellings (at most 123 bytes, as every close reason). */
export const TWO_AUTHORIZATIONS = 'connectionParams carries both authorization and Authorization: send the key once';

/**
 * Whether connectionParams holds the key under both spellings the gateway reads. It read the
 * lower-case one and dropped the other without a word, while a proxy or client library
 * in front may have judged, logged or replaced the other: the connection the gateway admitted
 * was not the one they saw.
 */
function twoAuthorizations(params: Readonly<Record<string, unknown>> | undefined): boolean {
  return params !== undefined && params !== null && Object.hasOwn(params, 'authorization') && Object.hasOwn(params, 'Authorization');
}

/**
 * `connectionParams.authorization` of a graphql-ws connection ("Bearer <key>"); undefined when
 * absent or null, or what JSON kind it was when it is there and no string.
 */
function connectionAuthorization(params: Readonly<Record<string, unknown>> | undefined): string | undefined | { notAString: string } {
  const value = params?.authorization ?? params?.Authorization;
  if (value === undefined || value === null || typeof value === 'string') return value ?? undefined;
  return { notAString: Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}` };
}

/** The close reason for an Authorization of another JSON kind (at most 123 bytes, as every close reason). */
export function notAStringMessage(kind: string): string {
  return `connectionParams.authorization must be a string, "Bearer <key>", not ${kind}`;
}
