import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { NO_SNIFF_LINE } from './no-sniff.js';

interface Refusal {
  status: number;
  reason: string;
  message: (server: Server) => string;
}

/** What node would answer (its status), worded as the gateway words every refusal. */
const REFUSALS: Record<string, Refusal> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    message: (server) => `request not received in time: headers within ${server.headersTimeout} ms, the whole request within ${server.requestTimeout} ms`,
  },
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', message: () => 'request headers too large' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, reason: 'Payload Too Large', message: () => 'chunk extensions too large' },
};
const MALFORMED: Refusal = { status: 400, reason: 'Bad Request', message: () => 'malformed HTTP request' };

/**
 * A request node could not read (sent too slowly, a header past its limit, not HTTP at all) is
 * answered by node itself, with a status and no body: the one refusal a client would get
 * without the gateway's JSON error. The same statuses, with a body every client can read as it
 * reads the others (`errors[].extensions.code`). Nothing is written to a peer that has left or
 * while an answer is under way on the connection (a pipelined request after it): that would
 * corrupt the answer, so the connection is only closed, as node does; nor before the answer of
 * a request read whole and still being answered (node would write it there, as that request's).
 */
export function answerUnreadableRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean; req?: { complete?: boolean } } | null })._httpMessage;
    // A request read whole and not yet answered owns the connection's next answer: the bytes node
    // failed on are a later request's, and a refusal written now would be read as the answer to
    // the whole one (a mutation the gateway is running, told it was malformed).
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true || inFlight?.req?.complete === true) {
      socket.destroy();
      return;
    }
    const refusal = REFUSALS[error.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify({ errors: [{ message: refusal.message(server), extensions: { code: 'BAD_USER_INPUT' } }] });
    socket.end(`HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nContent-Type: application/json; charset=utf-8\r\n${NO_SNIFF_LINE}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
