import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HTTP10_TRANSFER_CODING_REFUSED, VERSION_REFUSED, repeatedHeaderRefused, repeatedSingleValuedHeader, transferCodingOnHttp10, unservedHttpVersion } from './request-framing.js';
import { NO_SNIFF_HEADER, NO_SNIFF_LINE } from './no-sniff.js';
import { TRANSFER_CODING_REFUSED, unservedTransferCoding } from './transfer-coding.js';

export const HOST_REQUIRED = 'an HTTP/1.1 request needs a Host header (the name or address it is sent to)';
export const CONNECT_REFUSED = 'CONNECT is not served: this is no proxy (send GET or POST to /graphql)';
export const EXPECTATION_REFUSED = 'an Expect header other than 100-continue is not served: send the request without it';

const refusalBody = (message: string): string => JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });

/** A refusal whose request body is left unread: the connection closes after it. */
function refuse(response: ServerResponse, status: number, message: string): void {
  const body = refusalBody(message);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close', ...NO_SNIFF_HEADER });
  response.end(body);
}

/**
 * Three requests node answered itself, without the gateway's JSON error: an HTTP/1.1 request
 * without a Host header (a bare 400 with no body; RFC 9112 wants the 400), a CONNECT (the
 * connection closed without a byte: node destroys it when nothing listens for `connect`) and
 * one with an Expect other than 100-continue (a 417 with an empty body, RFC 9110 10.1.1).
 * And one node answered as if nothing were wrong: a body in a transfer coding besides chunked
 * (transfer-coding.ts), refused with 501 before the app reads it. And three node served as
 * if well formed (request-framing.ts): a request line of another version than 1.0 or 1.1
 * (505), an HTTP/1.0 request with Transfer-Encoding and a repeated single-valued header (400).
 * Refused here with the same statuses, in the words and shape of every other refusal. Call
 * once the server's request listener (the app) is in place: it is run only for requests with a Host.
 */
export function answerWhatNodeRefused(server: Server): void {
  // Read by node at each request (set from createServer's `requireHostHeader`, which @types/node lists for options only).
  (server as Server & { requireHostHeader: boolean }).requireHostHeader = false;
  const handlers = server.listeners('request') as Array<(request: IncomingMessage, response: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (unservedHttpVersion(request)) return refuse(response, 505, VERSION_REFUSED);
    // Absent, as node read it: a Host line with no value is valid (RFC 9112 3.2) and node answered it.
    if (request.httpVersion === '1.1' && request.headers.host === undefined) return refuse(response, 400, HOST_REQUIRED);
    const repeated = repeatedSingleValuedHeader(request.rawHeaders);
    if (repeated !== undefined) return refuse(response, 400, repeatedHeaderRefused(repeated));
    if (transferCodingOnHttp10(request)) return refuse(response, 400, HTTP10_TRANSFER_CODING_REFUSED);
    if (unservedTransferCoding(request.headers)) return refuse(response, 501, TRANSFER_CODING_REFUSED);
    for (const handler of handlers) handler.call(server, request, response);
  });
  // With a listener, node leaves the answer to it; the body is unread, so the connection closes.
  server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const body = refusalBody(EXPECTATION_REFUSED);
    response.writeHead(417, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close', ...NO_SNIFF_HEADER });
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
    socket.end(`HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, POST\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n${NO_SNIFF_LINE}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}
