import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { NO_SNIFF_LINE } from './no-sniff.js';

/** What an upgrade to the admin listener is told, to any protocol at any path. */
export const ADMIN_UPGRADE_REFUSED =
  'the admin listener upgrades to no other protocol (GraphQL over WebSocket is the public listener\'s /graphql): send the request without an Upgrade header, over HTTP/1.1 (curl: --http1.1)';

/**
 * Answers every upgrade request to the admin listener with the gateway's typed 400, as the
 * public listener answers a handshake it refuses (ws/handshake-refusal.ts). With no `upgrade`
 * listener node served a WebSocket handshake as a plain request (`GET /metrics` with
 * `Upgrade: websocket` read the metrics) and kept the connection for what a WebSocket client
 * sends next, which it would read as HTTP; the listener has no WebSocket to offer.
 */
export function refuseAdminUpgrades(server: Server): void {
  server.on('upgrade', (_request: IncomingMessage, socket: Duplex) => {
    // A client that resets meanwhile: nothing left to tell it.
    socket.on('error', () => socket.destroy());
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ errors: [{ message: ADMIN_UPGRADE_REFUSED, extensions: { code: 'BAD_USER_INPUT' } }] });
    socket.once('finish', () => socket.destroy());
    socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n${NO_SNIFF_LINE}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}
