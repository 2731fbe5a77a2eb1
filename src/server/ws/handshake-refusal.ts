import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { NO_SNIFF_LINE } from '../no-sniff.js';
import { repeatedHeaderRefused, repeatedSingleValuedHeader } from '../request-framing.js';
import { HOST_REQUIRED } from '../requests-node-answers.js';

/**
 * What an upgrade to another protocol is told, at any path. Once a server listens for upgrades,
 * node hands it every request carrying `Connection: Upgrade`, whatever it upgrades to, and the
 * request is not answered as HTTP: `curl --http2` offers h2c on each plain-HTTP request (a
 * `curl --http2 .../healthz` read 404 "not found").
 */
export const NOT_A_WEBSOCKET_UPGRADE =
  'this gateway upgrades /graphql to websocket only (graphql-transport-ws): send the request without an Upgrade header, over HTTP/1.1 (curl: --http1.1)';

/**
 * ws's words for a WebSocket handshake on a request line other than HTTP/1.1: ws took one saying
 * HTTP/1.0 or HTTP/2.0 (no HTTP/2 client writes a text request line; RFC 6455 4.1 wants 1.1),
 * as node's request handler now refuses them (request-framing.ts).
 */
export const HANDSHAKE_VERSION_REFUSED = 'a WebSocket handshake is sent as HTTP/1.1 (RFC 6455 4.1)';

/** Whether a WebSocket handshake's request line says HTTP/1.1. */
export const handshakeOnHttp11 = (request: Pick<IncomingMessage, 'httpVersion'>): boolean => request.httpVersion === '1.1';

/**
 * Why a handshake's header lines are refused, as an HTTP request's are (requests-node-answers.ts),
 * or undefined: no Host line, or a single-valued header (Host above all) on more than one line.
 * Node hands upgrades to the `upgrade` listener, past the request handler that refuses these,
 * and ws took both: a proxy routing by one Host line had the gateway read the other.
 */
export function handshakeHeaderRefusal(request: Pick<IncomingMessage, 'headers' | 'rawHeaders'>): string | undefined {
  if (request.headers.host === undefined) return HOST_REQUIRED;
  const repeated = repeatedSingleValuedHeader(request.rawHeaders);
  return repeated === undefined ? undefined : repeatedHeaderRefused(repeated);
}

/** Whether the upgrade asks for a WebSocket, as ws reads the header. */
export function upgradesToWebSocket(request: IncomingMessage): boolean {
  return request.headers.upgrade?.toLowerCase() === 'websocket';
}

/**
 * The gateway's JSON refusal of a WebSocket handshake ws cannot take (a bad key or version, a
 * method other than GET, a malformed protocol list: ws's own words, as `reason`), or of an
 * upgrade to another protocol. ws answered these itself in text/html, no code to read.
 */
export function refuseHandshake(request: IncomingMessage, socket: Duplex, reason: string): void {
  // A client that resets meanwhile: nothing left to tell it.
  socket.on('error', () => socket.destroy());
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // ws's one refusal that is no 400: a WebSocket handshake is a GET.
  const wrongMethod = request.method !== 'GET' && upgradesToWebSocket(request);
  const message = reason === NOT_A_WEBSOCKET_UPGRADE ? reason : `WebSocket handshake refused: ${reason}${wrongMethod ? ' (a WebSocket handshake is a GET)' : ''}`;
  const body = JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });
  const status = wrongMethod ? '405 Method Not Allowed\r\nAllow: GET' : '400 Bad Request';
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n${NO_SNIFF_LINE}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
