import { CloseCode } from 'graphql-ws';
import { WebSocket } from 'ws';

/** Close code for a connection over a cap; graphql-ws clients treat 4429 as final and do not retry at once. */
export const CLOSE_TOO_MANY = 4429;
/** Close code for a connection_init without a valid key (graphql-ws's Forbidden). */
export const CLOSE_FORBIDDEN = CloseCode.Forbidden;
/**
 * Close code for a connection whose client does not read what it is sent (more than
 * `limits.maxWsBufferedBytes` queued unsent): 1013 "Try Again Later". Not 4429 like the other
 * caps: graphql-ws's client takes 4429 (its TooManyInitialisationRequests) as final, while
 * falling behind is usually passing (a stalled network, a suspended tab), and graphql-ws's
 * client retries 1013 with its backoff and subscribes again. A client that has stopped reading
 * altogether never reads this frame: it is dropped CLOSE_HANDSHAKE_WAIT_MS later (1006 to it).
 */
export const CLOSE_SLOW_READER = 1013;
/** Close code for a message that is not UTF-8 (1007 "Invalid frame payload data"): what ws sends for such a text frame, kept for a binary one. */
export const CLOSE_NOT_UTF8 = 1007;
/**
 * How long the server waits for a client to answer its close frame (a 4403,
 * a 4429, shutdown's 1001) before dropping the connection; ws itself waits
 * 30 s, which a peer that stopped reading would hold a socket for.
 */
export const CLOSE_HANDSHAKE_WAIT_MS = 1_000;
/**
 * The same wait once the drain has run out: inside the margin the gateway
 * keeps before the drain timeout for the close frames (250 ms, app.ts).
 */
export const CLOSE_AFTER_DRAIN_WAIT_MS = 100;

/** A close frame's reason: at most 123 bytes of UTF-8, or ws throws instead of closing. */
const MAX_CLOSE_REASON_BYTES = 123;

export function fitCloseReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_CLOSE_REASON_BYTES) return reason;
  let cut = reason.slice(0, MAX_CLOSE_REASON_BYTES);
  while (Buffer.byteLength(`${cut}...`) > MAX_CLOSE_REASON_BYTES) cut = cut.slice(0, -1);
  return `${cut}...`;
}

/** Connections closeFirmly has closed: their drop timer is set. */
const dropping = new WeakSet<WebSocket>();

/** Closes with `code`, and drops the connection if the client has not answered the close frame within `waitMs`. */
export function closeFirmly(socket: WebSocket, code?: number, reason?: string, waitMs = CLOSE_HANDSHAKE_WAIT_MS): void {
  // One drop timer per connection, however many closes are asked for.
  if (socket.readyState === WebSocket.CLOSED || dropping.has(socket)) return;
  dropping.add(socket);
  // A reason that echoes the client (a subscription id) can be longer than a close frame takes.
  socket.close(code, reason === undefined ? undefined : fitCloseReason(reason));
  const drop = setTimeout(() => socket.terminate(), waitMs);
  socket.once('close', () => clearTimeout(drop));
}
