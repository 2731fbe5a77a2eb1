import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { answerShuttingDown } from './shutting-down-answer.js';

export const SHUTTING_DOWN_UNREAD_BODY_MESSAGE = 'the gateway is shutting down and did not run this request, whose body had not all arrived: nothing was sent; send it again on a new connection';

/**
 * From the moment the listener closes, a request whose body has not all arrived is answered
 * 503 SHUTTING_DOWN, unrun, and its connection closed: a body not yet read is nobody's work.
 * Node reads a body until the request timeout (30 s), longer than the drain (10 s by default), so
 * a client whose body never ended (chunked and never closed, or a Content-Length never reached),
 * in flight at the signal or sent during the readyz grace, held the drain until it cut the request
 * and the process exited 1, as if work had been cut.
 *
 * Looked at one turn after the drain begins and after each request it receives: node parses every
 * byte already received before that, so a body not complete then is waiting on its client. The
 * answer goes out through unread-body-close.ts's writeHead (the body unread: `Connection: close`,
 * node ends and destroys the connection once it is flushed), and the body parser still reading it
 * ends with the connection; an answer begun already is left to finish.
 */
export class RefuseUnreadBodiesAtDrain {
  private refusing = false;
  /** Requests whose body has not all arrived, with their answers. */
  private readonly reading = new Map<IncomingMessage, ServerResponse>();

  constructor(
    httpServer: Server,
    /** Told of each request refused so, once its answer is handed over. */
    private readonly onRefused: () => void = () => undefined,
  ) {
    httpServer.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      if (request.complete) return;
      this.reading.set(request, response);
      const forget = () => this.reading.delete(request);
      request.once('end', forget);
      response.once('close', forget);
      if (this.refusing) setImmediate(() => this.refuseIfUnread(request, response));
    });
  }

  /** The listener has closed: refuse the bodies still coming, and each that comes from now on. */
  begin(): void {
    if (this.refusing) return;
    this.refusing = true;
    setImmediate(() => {
      for (const [request, response] of this.reading) this.refuseIfUnread(request, response);
    });
  }

  /** For an exit that does not wait for the drain: every body still coming is refused now; the connections answered so. */
  refuseNow(): Socket[] {
    this.refusing = true;
    const answered: Socket[] = [];
    for (const [request, response] of this.reading) if (this.refuseIfUnread(request, response)) answered.push(request.socket);
    return answered;
  }

  private refuseIfUnread(request: IncomingMessage, response: ServerResponse): boolean {
    if (request.complete || response.headersSent || response.writableEnded || request.socket.destroyed) return false;
    answerShuttingDown(response, SHUTTING_DOWN_UNREAD_BODY_MESSAGE);
    this.onRefused();
    return true;
  }
}
