import { type IncomingMessage, type RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Whether a request says a body follows its headers (a bodyless GET is complete from them). */
const bodyFollows = (request: IncomingMessage): boolean => {
  if (request.headers['transfer-encoding'] !== undefined) return true;
  const length = request.headers['content-length'];
  return length !== undefined && length !== '0';
};

const plainWriteHead = ServerResponse.prototype.writeHead;

/**
 * An answer begun before its request's body was read (a 401 without a key, a 404, a 405, a 429)
 * goes out with `Connection: close`, and node ends the connection once the answer is flushed.
 * Kept alive, node read the rest of the body for the next request, however long the client took:
 * a chunked body never ended, or a Content-Length never reached, held its socket and was read,
 * its bytes thrown away, until the request timeout. A body read before its answer (every request
 * the app runs) keeps its connection as before.
 *
 * A request pipelined behind one answered so is never run: node drops the answers queued behind
 * one that closes, so a mutation there acted and was never answered. There can be one: node runs
 * promises (and so an answer) between a request's headers and the rest of the bytes received with
 * them, so a body not read at its answer may have come whole, and a request behind it; what the
 * connection was told is what counts.
 *
 * `ServerResponse` goes to `createServer`'s options (server-level answers are made with it), and
 * the listener replaces the app's. The writeHead check is an own property: express swaps the
 * prototype of every answer it handles for its own.
 */
export function closeAfterAnswersBeforeBody(app: RequestListener): { ServerResponse: typeof ServerResponse; listener: RequestListener } {
  const closing = new WeakSet<Socket>();
  function writeHeadClosingUnreadBody(this: ServerResponse, ...args: unknown[]): ServerResponse {
    if (!this.req.complete) {
      this.shouldKeepAlive = false;
      closing.add(this.req.socket);
    }
    return Reflect.apply(plainWriteHead, this, args) as ServerResponse;
  }
  class ClosingWhenBodyUnread<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
    constructor(request: Request) {
      super(request);
      if (bodyFollows(request)) (this as ServerResponse).writeHead = writeHeadClosingUnreadBody as ServerResponse['writeHead'];
    }
  }
  return {
    ServerResponse: ClosingWhenBodyUnread,
    listener: (request, response) => {
      if (closing.has(request.socket)) return;
      app(request, response);
    },
  };
}
