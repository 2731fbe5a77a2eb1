import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { TRANSFER_CODING_REFUSED, unservedTransferCoding } from './transfer-coding.js';

export const HOST_REQUIRED = 'an HTTP/1.1 request needs a Host header (the name or address it is sent to)';
export const CONNECT_REFUSED = 'CONNECT is not served: this is no proxy (send GET or POST to /graphql)';
export const EXPECTATION_REFUSED = 'an Expect header other than 100-continue is not served: send the request without it';

const refusalBody = (message: string): string => JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });

/**
 * Three requests node answered itself, without the gateway's JSON error: an HTTP/1.1 request
 * without a Host header (a bare 400 with no body; RFC 9112 wants the 400), a CONNECT (the
 * connection closed without a byte: node destroys it when nothing listens for `connect`) and
 * one with an Expect other than 100-continue (a 417 with an empty body, RFC 9110 10.1.1).
 * And one node answered as if nothing were wrong: a body in a transfer coding besides chunked
 * (transfer-coding.ts), refused with 501 before the app reads it.
 * Refused here with the same statuses, in the words and shape of every other refusal. Call
 * once the server's request listener (the app) is in place: it is run only for requests with a Host.
 */
export function answerWhatNodeRefused(server: Server): void {
  // Read by node at each request (set from createServer's `requireHostHeader`, which @types/node lists for options only).
  (server as Server & { requireHostHeader: boolean }).requireHostHeader = false;
  const handlers = server.listeners('request') as Array<(request: IncomingMessage, response: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    // Absent, as node read it: a Host line with no value is valid (RFC 9112 3.2) and node answered it.
    if (request.httpVersion === '1.1' && request.headers.host === undefined) {
      const body = refusalBody(HOST_REQUIRED);
      response.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
      response.end(body);
      return;
    }
    if (unservedTransferCoding(request.headers)) {
      // The body is left unread: the connection closes after the answer.
      const body = refusalBody(TRANSFER_CODING_REFUSED);
      response.writeHead(501, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
      response.end(body);
      return;
    }
    for (const handler of handlers) handler.call(server, request, response);
  });
  // With a listener, node leaves the answer to it; the body is unread, so the connection closes.
  server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const body = refusalBody(EXPECTATION_REFUSED);
    response.writeHead(417, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
    response.end(body);
  });
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    // A client that resets meanwhile: nothing left to tell it.
    socket.on('error', () => socket.destroy());
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const body = refusalBody(CONNECT_REFUSED);
    socket.once('finish', () => socket.destroy());
    socket.end(`HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, POST\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}
