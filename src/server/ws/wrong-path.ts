import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { NO_SNIFF_LINE } from '../no-sniff.js';
import { NOT_FOUND_BODY } from '../not-found.js';

/** The same answer as an HTTP request to a path that is no route (app.ts's notFound). */
const NOT_FOUND_TEXT = JSON.stringify(NOT_FOUND_BODY);

/** Whether an upgrade request is for `path` (its query aside), as ws's own `path` option compares it. */
export function upgradeIsFor(request: IncomingMessage, path: string): boolean {
  const url = request.url ?? '';
  const query = url.indexOf('?');
  return (query === -1 ? url : url.slice(0, query)) === path;
}

/**
 * Answers a WebSocket upgrade to a path that is no route with the gateway's JSON 404, as an
 * HTTP request to it is answered; ws's own `path` option answered a bare 400 "Bad Request",
 * which reads as a fault in the request rather than in its address.
 */
export function refuseUpgradeElsewhere(socket: Duplex): void {
  // A client that resets meanwhile: nothing left to tell it.
  socket.on('error', () => socket.destroy());
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n${NO_SNIFF_LINE}Content-Length: ${Buffer.byteLength(NOT_FOUND_TEXT)}\r\n\r\n${NOT_FOUND_TEXT}`,
  );
}
